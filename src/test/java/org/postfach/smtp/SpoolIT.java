package org.postfach.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Relay;
import org.postfach.testing.Api;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/** Issue 10: a message of several megabytes passes through the disk spool intact, and the spool is emptied. */
class SpoolIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;

    @Test
    void aLargeMessageIsRelayedWholeThroughTheSpoolAndLeavesNoFileBehind() throws Exception {
        Path data = dir.resolve("data");
        Path spool = Files.createDirectories(data.resolve("spool"));
        Files.writeString(spool.resolve("data-left-by-a-crash.eml"), "never answered 250");
        Relay relay = TestRelay.start(data, smarthost.getSmtp().getPort(), Map.of());
        try {
            assertThat(spool.resolve("data-left-by-a-crash.eml")).doesNotExist();
            Api api = TestRelay.api(relay);
            api.seller("s1", "Shop", "orders@shop-example.de", "service@shop-example.de");
            api.buyer("b1", "Anna", "anna@mail-example.de");
            String alias = api.order("302-1111111-2222222", "s1", "b1", null);
            StringBuilder body = new StringBuilder();
            for (int i = 0; body.length() < 3_000_000; i++) {
                body.append("Zeile ").append(i).append(": Ihr Paket ist unterwegs, die Sendungsnummer folgt.\r\n");
            }
            byte[] mail = ("From: orders@shop-example.de\r\nTo: <" + alias + ">\r\nSubject: Lieferung\r\n"
                    + "Message-ID: <big.1@shop-example.de>\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=us-ascii\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
            try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
                s.send("EHLO mx.shop-example.de");
                SmtpDialogue.expect(s.mail("orders@shop-example.de", alias, mail), "250");
            }
            try (var files = Files.list(spool)) {
                assertThat(files.toList()).as("the spool file went with the session").isEmpty();
            }
            assertThat(smarthost.waitForIncomingEmail(30_000, 1)).isTrue();
            MimeMessage received = smarthost.getReceivedMessages()[0];
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            received.getDataHandler().writeTo(content);
            // GreenMail keeps the last line break as part of the end of DATA
            assertThat(content.toString(StandardCharsets.US_ASCII).replace("\r\n", "\n").stripTrailing())
                    .isEqualTo(body.toString().replace("\r\n", "\n").stripTrailing());
        } finally {
            relay.close();
        }
    }
}
