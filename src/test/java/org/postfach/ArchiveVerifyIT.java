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
    void oneAlteredByteIsReportedAtExactlyThatEntry() {
        byte[] body;
        try (Database db = Database.open(url, 1)) {
            body = db.jdbc().one("SELECT content FROM message_bodies WHERE message_id = 2 AND form = 'DELIVERED'",
                    rs -> rs.getBytes(1)).orElseThrow();
        }
        body[body.length - 4] ^= 0x20;
        sql("UPDATE message_bodies SET content = ? WHERE message_id = 2 AND form = 'DELIVERED'", body);
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
