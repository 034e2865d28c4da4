package org.postfach;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.store.Database;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/** SPEC §8: {@code postfach archive verify} on a real archive: one changed byte, one removed entry. */
class ArchiveVerifyIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;
    Path config;
    String url;

    @BeforeEach
    void archiveThreeMessages() throws Exception {
        try (Relay relay = TestRelay.start(dir, smarthost.getSmtp().getPort(), Map.of())) {
            String alias = TestRelay.api(relay).pair();
            for (int i = 1; i <= 3; i++) {
                try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
                    s.send("EHLO shop.example");
                    SmtpDialogue.expect(s.mail("seller@shop.example", alias, ("From: seller@shop.example\r\nSubject: m"
                            + i + "\r\n\r\nText " + i + "\r\n").getBytes(StandardCharsets.UTF_8)), "250");
                }
            }
            url = relay.settings().storageUrl();
        }
        config = dir.resolve("postfach.properties");
        Files.writeString(config, "data.dir=" + dir + "\n");
    }

    void sql(String statement, Object... params) {
        try (Database db = Database.open(url, 1)) {
            db.jdbc().update(statement, params);
        }
    }

    @Test
    void anUntouchedArchiveVerifies() {
        CliIT.Result r = CliIT.run("archive", "verify", "--config", config.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("archive ok: 3 entries verified");
    }

    @Test
    void oneAlteredByteIsReportedAtExactlyThatEntry() throws Exception {
        // the raw forms live in a file beside the H2 database (store.Bodies): the byte is changed there
        Object[] place;
        try (Database db = Database.open(url, 1)) {
            place = db.jdbc().one("SELECT file_name, file_offset, file_length FROM message_bodies"
                            + " WHERE message_id = 2 AND form = 'DELIVERED'",
                    rs -> new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3)}).orElseThrow();
        }
        assertThat(place[0]).as("kept in a file").isNotNull();
        Path file = Path.of(url.substring("jdbc:h2:file:".length()) + "-bodies").resolve((String) place[0]);
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) ((long) place[1] + (long) place[2] - 4)] ^= 0x20;
        Files.write(file, bytes);
        CliIT.Result r = CliIT.run("archive", "verify", "--config", config.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out().trim()).isEqualTo("archive broken: entry 2: its content does not match its hash");
    }

    @Test
    void aRemovedEntryIsReported() {
        sql("DELETE FROM outbound_queue WHERE message_id = 2");
        sql("DELETE FROM message_bodies WHERE message_id = 2");
        sql("DELETE FROM messages WHERE id = 2");
        CliIT.Result r = CliIT.run("archive", "verify", "--config", config.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out().trim()).isEqualTo("archive broken: entry 3: the entry before it was changed or removed");
    }
}
