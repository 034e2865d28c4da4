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

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, smarthost.getSmtp().getPort(), Map.of("POSTFACH_SMTP_MAXMESSAGESIZE", "64KB"));
        alias = TestRelay.api(relay).pair();
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

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            LF.CRLF as a fake end             | first\\n.\\r\\nMAIL FROM:<x@y.example>\\r\\n
            CRLF.LF as a fake end             | first\\r\\n.\\nMAIL FROM:<x@y.example>\\r\\n
            CR.CR as a fake end               | first\\r.\\rMAIL FROM:<x@y.example>\\r\\n
            bare LF in the body               | line one\\nline two\\r\\n
            bare CR in the body               | line one\\rline two\\r\\n
            NUL in the body                   | line\\u0000one\\r\\n
            """)
    void everyOtherLineEndIsRefusedOnlyAfterTheRealEnd(String name, String body) throws Exception {
        String text = body.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\u0000");
        try (SmtpDialogue s = open()) {
            s.raw("From: seller@shop.example\r\nSubject: " + name + "\r\n\r\n" + text + "\r\n.\r\n");
            assertThat(s.reply()).as(name).startsWith("550 5.6.0 ");
            assertThat(s.send("NOOP")).as("the rest ran as no command").isEqualTo("250 2.0.0 Ok");
        }
        assertThat(smarthost.getReceivedMessages()).isEmpty();
    }

    @Test
    void aBareLineFeedInTheHeaderIsRefusedToo() throws Exception {
        try (SmtpDialogue s = open()) {
            s.raw("From: seller@shop.example\nSubject: x\r\n\r\nbody\r\n.\r\n");
            assertThat(s.reply()).startsWith("550 5.6.0 ");
            assertThat(s.send("NOOP")).isEqualTo("250 2.0.0 Ok");
        }
    }

    @Test
    void aTenThousandByteBodyLineIsCarriedWhole() throws Exception {
        String line = "x".repeat(10_000);
        try (SmtpDialogue s = open()) {
            s.raw("From: seller@shop.example\r\nSubject: long\r\n\r\n" + line + "\r\n.\r\n");
            assertThat(s.reply()).startsWith("250 2.0.0");
        }
        assertThat(smarthost.waitForIncomingEmail(15_000, 1)).isTrue();
        assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(smarthost.getReceivedMessages()[0])).contains(line);
    }
}
