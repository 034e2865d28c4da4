package org.postfach.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Relay;
import org.postfach.testing.Api;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/** Raw dialogues around DATA: only CRLF.CRLF ends a message, no CHUNKING, refusals never desync the session. */
class DataDialogueIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;
    Relay relay;
    String alias;
    String alias2;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, smarthost.getSmtp().getPort(),
                Map.of("POSTFACH_SMTP_MAXMESSAGESIZE", "64KB", "POSTFACH_SMTP_MAXRECIPIENTS", "2"));
        Api api = TestRelay.api(relay);
        api.seller("s", "Shop", "seller@shop.example", "cs@shop.example");
        api.buyer("b", "Buyer", "buyer@buyer.example");
        api.buyer("b2", "Buyer 2", "buyer2@buyer.example");
        alias = api.order("o", "s", "b", null);
        alias2 = api.order("o2", "s", "b2", null);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    SmtpDialogue open() throws Exception {
        SmtpDialogue s = new SmtpDialogue(relay.smtpPort());
        SmtpDialogue.expect(s.send("EHLO shop.example"), "250");
        SmtpDialogue.expect(s.send("MAIL FROM:<seller@shop.example>"), "250");
        SmtpDialogue.expect(s.send("RCPT TO:<" + alias + ">"), "250");
        SmtpDialogue.expect(s.send("DATA"), "354");
        return s;
    }

    @Test
    void ehloOffersSizeButNotChunking() throws Exception {
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            String ehlo = s.send("EHLO client.example");
            assertThat(ehlo).contains("250-SIZE 65536").contains("8BITMIME").doesNotContain("CHUNKING");
            assertThat(s.greeting).startsWith("220 marketplace.example ESMTP Postfach");
            assertThat(s.send("BDAT 10 LAST")).startsWith("502 5.5.1 ");
            assertThat(s.reply()).as("connection closed").isNull();
        }
    }

    @Test
    void aSmuggledSecondMessageBehindAFakeEndOfDataIsNotRun() throws Exception {
        try (SmtpDialogue s = open()) {
            s.raw("From: seller@shop.example\r\nSubject: one\r\n\r\nfirst\n.\r\n"
                    + "MAIL FROM:<seller@shop.example>\r\nRCPT TO:<" + alias + ">\r\nDATA\r\n"
                    + "From: seller@shop.example\r\nSubject: smuggled\r\n\r\nsecond\r\n.\r\n");
            // one reply for the whole thing: the bare-LF "end" did not end anything
            assertThat(s.reply()).startsWith("550 5.6.0 ");
            assertThat(s.send("NOOP")).startsWith("250");
        }
        assertThat(smarthost.getReceivedMessages()).isEmpty();
    }

    @Test
    void anOversizeMessageIsRefusedAfterItWasReadAndTheSessionGoesOn() throws Exception {
        try (SmtpDialogue s = open()) {
            s.raw("From: seller@shop.example\r\nSubject: big\r\n\r\n" + ("x".repeat(998) + "\r\n").repeat(80) + ".\r\n");
            assertThat(s.reply()).isEqualTo("552 5.3.4 Message too big: the limit is 65536 bytes");
            assertThat(s.mail("seller@shop.example", alias,
                    "From: seller@shop.example\r\nSubject: small\r\n\r\nok\r\n".getBytes())).startsWith("250 2.0.0");
            assertThat(s.send("MAIL FROM:<seller@shop.example> SIZE=999999")).startsWith("552 5.3.4");
        }
        assertThat(smarthost.waitForIncomingEmail(15_000, 1)).isTrue();
        MimeMessage[] got = smarthost.getReceivedMessages();
        assertThat(got).hasSize(1);
        assertThat(got[0].getSubject()).isEqualTo("small");
    }

    @Test
    void dotStuffedLinesArriveUnstuffed() throws Exception {
        try (SmtpDialogue s = open()) {
            s.raw("From: seller@shop.example\r\nSubject: dots\r\n\r\nline\r\n..leading dot\r\n.\r\n");
            assertThat(s.reply()).startsWith("250 2.0.0");
        }
        assertThat(smarthost.waitForIncomingEmail(15_000, 1)).isTrue();
        assertThat((String) smarthost.getReceivedMessages()[0].getContent()).contains("\r\n.leading dot");
    }

    @Test
    void mailCommandRefusalsCarryEnhancedCodesAndTheSessionGoesOn() throws Exception {
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            SmtpDialogue.expect(s.send("EHLO shop.example"), "250");
            assertThat(s.send("RCPT TO:<" + alias + ">")).isEqualTo("503 5.5.1 Need MAIL command first");
            assertThat(s.send("MAIL FROM:<seller@shop.example> SIZE=99999999999999999999999"))
                    .isEqualTo("552 5.3.4 Message too big: the limit is 65536 bytes");
            assertThat(s.send("MAIL FROM:<seller@shop.example> SIZE=65537"))
                    .isEqualTo("552 5.3.4 Message too big: the limit is 65536 bytes");
            assertThat(s.send("MAIL FROM:<seller@shop.example> SIZE=12kb")).startsWith("501 5.5.4 ");
            assertThat(s.send("MAIL FROM:<seller@shop.example> RET=HDRS")).startsWith("555 5.5.4 ");
            assertThat(s.send("MAIL TO:<seller@shop.example>")).startsWith("501 5.5.4 ");
            assertThat(s.send("MAIL FROM:seller@shop.example")).startsWith("501 5.5.4 ");
            assertThat(s.send("MAIL FROM:<not an address>")).startsWith("553 5.1.7 ");
            assertThat(s.send("MAIL FROM:<seller@shop.example> SIZE=1000 BODY=8BITMIME SMTPUTF8"))
                    .isEqualTo("250 2.1.0 Sender ok");
            assertThat(s.send("MAIL FROM:<seller@shop.example>")).isEqualTo("503 5.5.1 Sender already specified");
            assertThat(s.send("RCPT TO:" + alias)).startsWith("501 5.5.4 ");
            assertThat(s.send("RCPT TO:<" + alias + "> NOTIFY=NEVER")).startsWith("555 5.5.4 ");
            assertThat(s.send("RCPT TO:<" + alias + ">")).isEqualTo("250 2.1.5 Recipient ok");
            assertThat(s.send("RCPT TO:<" + alias2 + ">")).isEqualTo("250 2.1.5 Recipient ok");
            assertThat(s.send("RCPT TO:<someone@marketplace.example>")).startsWith("452 4.5.3 ");
            assertThat(s.send("DATA")).startsWith("354");
            s.raw("From: seller@shop.example\r\nSubject: two\r\n\r\nHallo\r\n.\r\n");
            assertThat(s.reply()).startsWith("250 2.0.0");
        }
        assertThat(smarthost.waitForIncomingEmail(15_000, 2)).isTrue();
    }
}
