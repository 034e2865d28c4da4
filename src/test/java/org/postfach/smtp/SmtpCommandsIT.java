package org.postfach.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Relay;
import org.postfach.mail.Replies;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/** SPEC §3, §7: Postfach's own MAIL, RCPT and the other commands; every reply with its enhanced status code. */
class SmtpCommandsIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static final String SELLER = "seller@shop.example";

    @TempDir
    Path dir;
    Relay relay;
    String alias;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, smarthost.getSmtp().getPort(), Map.of("POSTFACH_SMTP_MAXMESSAGESIZE", "64KB",
                "POSTFACH_SMTP_MAXRECIPIENTS", "2"));
        alias = TestRelay.api(relay).pair();
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    SmtpDialogue open() throws Exception {
        SmtpDialogue w = new SmtpDialogue(relay.smtpPort());
        assertThat(w.send("EHLO client.example")).startsWith("250-");
        return w;
    }

    @Test
    void mailNeedsHeloFirstAndCannotBeNested() throws Exception {
        try (SmtpDialogue w = new SmtpDialogue(relay.smtpPort())) {
            assertThat(w.send("MAIL FROM:<" + SELLER + ">")).isEqualTo("503 5.5.1 Send EHLO or HELO first");
            assertThat(w.send("HELO client.example")).isEqualTo("250 marketplace.example");
            assertThat(w.send("MAIL FROM:<" + SELLER + ">")).isEqualTo("250 2.1.0 Sender ok");
            assertThat(w.send("MAIL FROM:<" + SELLER + ">"))
                    .isEqualTo("503 5.5.1 Sender already given: send RSET to start over");
            assertThat(w.send("RSET")).isEqualTo("250 2.0.0 Reset, no transaction in progress");
            assertThat(w.send("MAIL FROM:<" + SELLER + ">")).isEqualTo(Replies.SENDER_OK.toString());
        }
    }

    @Test
    void badSyntaxIs501AndTheSessionStaysInStep() throws Exception {
        try (SmtpDialogue w = open()) {
            assertThat(w.send("MAIL FROM " + SELLER)).isEqualTo("501 5.5.4 Syntax: MAIL FROM:<address> [parameters]");
            assertThat(w.send("MAIL FROM:" + SELLER)).isEqualTo(Replies.MAIL_SYNTAX.toString());
            assertThat(w.send("MAIL")).isEqualTo(Replies.MAIL_SYNTAX.toString());
            assertThat(w.send("MAIL FROM: <" + SELLER + ">")).as("one space after the colon is tolerated")
                    .isEqualTo("250 2.1.0 Sender ok");
            assertThat(w.send("RCPT TO:" + alias)).isEqualTo("501 5.5.4 Syntax: RCPT TO:<address>");
            assertThat(w.send("RCPT TO:<" + alias + ">")).isEqualTo("250 2.1.5 Recipient ok");
            assertThat(w.send("EHLO")).isEqualTo("501 5.5.4 Syntax: EHLO hostname");
            assertThat(w.send("HELO")).isEqualTo("501 5.5.4 Syntax: HELO hostname");
        }
    }

    @Test
    void declaredSizeIsCheckedWithoutOverflow() throws Exception {
        try (SmtpDialogue w = open()) {
            String tooBig = "552 5.3.4 Message too big: the limit is 65536 bytes";
            assertThat(w.send("MAIL FROM:<" + SELLER + "> SIZE=65537")).isEqualTo(tooBig);
            assertThat(w.send("MAIL FROM:<" + SELLER + "> SIZE=99999999999999999999")).isEqualTo(tooBig);
            assertThat(w.send("MAIL FROM:<" + SELLER + "> SIZE=" + "9".repeat(200))).isEqualTo(tooBig);
            assertThat(w.send("MAIL FROM:<" + SELLER + "> SIZE=12abc"))
                    .isEqualTo("501 5.5.4 Syntax: SIZE=n with n the message size in bytes");
            assertThat(w.send("MAIL FROM:<" + SELLER + "> SIZE=")).isEqualTo(Replies.SIZE_SYNTAX.toString());
            assertThat(w.send("MAIL FROM:<" + SELLER + "> SIZE=-1")).isEqualTo(Replies.SIZE_SYNTAX.toString());
            assertThat(w.send("MAIL FROM:<" + SELLER + "> SIZE=65536")).isEqualTo("250 2.1.0 Sender ok");
        }
    }

    @Test
    void unknownParametersAre555AndTheKnownOnesAreAccepted() throws Exception {
        try (SmtpDialogue w = open()) {
            assertThat(w.send("MAIL FROM:<" + SELLER + "> FOO=bar")).isEqualTo("555 5.5.4 Parameter not supported: FOO");
            assertThat(w.send("MAIL FROM:<" + SELLER + "> BODY=BINARYMIME"))
                    .isEqualTo("555 5.5.4 Parameter not supported: BODY=BINARYMIME");
            assertThat(w.send("MAIL FROM:<" + SELLER + "> RET=HDRS")).isEqualTo("555 5.5.4 Parameter not supported: RET");
            assertThat(w.send("MAIL FROM:<" + SELLER + "> BODY=8BITMIME SMTPUTF8 SIZE=100"))
                    .isEqualTo("250 2.1.0 Sender ok");
            assertThat(w.send("RCPT TO:<" + alias + "> NOTIFY=NEVER"))
                    .isEqualTo("555 5.5.4 Parameter not supported: NOTIFY");
            assertThat(w.send("RCPT TO:<" + alias + ">")).isEqualTo("250 2.1.5 Recipient ok");
        }
        try (SmtpDialogue w = open()) {
            assertThat(w.send("mail from:<" + SELLER + "> body=7bit")).isEqualTo("250 2.1.0 Sender ok");
        }
    }

    @Test
    void rcptNeedsMailAndRecipientsAreBounded() throws Exception {
        try (SmtpDialogue w = open()) {
            assertThat(w.send("RCPT TO:<" + alias + ">")).isEqualTo("503 5.5.1 Send MAIL first");
            assertThat(w.send("DATA")).isEqualTo("503 5.5.1 Send MAIL first");
            assertThat(w.send("MAIL FROM:<" + SELLER + ">")).isEqualTo("250 2.1.0 Sender ok");
            assertThat(w.send("DATA")).isEqualTo("503 5.5.1 Send RCPT first");
            assertThat(w.send("RCPT TO:<" + alias + ">")).isEqualTo("250 2.1.5 Recipient ok");
            assertThat(w.send("RCPT TO:<" + alias.toUpperCase() + ">")).isEqualTo("250 2.1.5 Recipient ok");
            assertThat(w.send("RCPT TO:<" + alias + ">")).isEqualTo("452 4.5.3 Too many recipients: at most 2 per message");
            assertThat(w.send("NOOP")).isEqualTo("250 2.0.0 Ok");
        }
    }

    @Test
    void theTransactionsOwnRefusalsPassThroughUnchanged() throws Exception {
        try (SmtpDialogue w = open()) {
            assertThat(w.send("MAIL FROM:<not-an-address>")).isEqualTo(Replies.BAD_SENDER_SYNTAX.toString());
            // the refused MAIL left no transaction open
            assertThat(w.send("RCPT TO:<" + alias + ">")).isEqualTo(Replies.MAIL_FIRST.toString());
            assertThat(w.send("MAIL FROM:<" + SELLER + ">")).isEqualTo("250 2.1.0 Sender ok");
            assertThat(w.send("RCPT TO:<zzzzzzzzzzzzzzz@marketplace.example>"))
                    .isEqualTo(Replies.NO_SUCH_RECIPIENT.toString());
            assertThat(w.send("RCPT TO:<someone@gmail.example>")).isEqualTo(Replies.RELAY_DENIED.toString());
            assertThat(w.send("RCPT TO:<" + alias + ">")).isEqualTo("250 2.1.5 Recipient ok");
        }
    }

    @Test
    void theSmallCommandsAnswerWithEnhancedCodes() throws Exception {
        try (SmtpDialogue w = open()) {
            assertThat(w.send("EHLO client.example")).contains("250-ENHANCEDSTATUSCODES").doesNotContain("STARTTLS")
                    .doesNotContain("CHUNKING");
            assertThat(w.send("XYZZY")).isEqualTo("500 5.5.2 Command not recognized");
            assertThat(w.send("NO")).isEqualTo("500 5.5.2 Command not recognized");
            assertThat(w.send("")).isEqualTo("500 5.5.2 Command not recognized");
            assertThat(w.send("NOOP")).isEqualTo("250 2.0.0 Ok");
            assertThat(w.send("noop hello")).isEqualTo("250 2.0.0 Ok");
            assertThat(w.send("VRFY " + SELLER)).isEqualTo(Replies.CANNOT_VRFY.toString()).startsWith("252 2.5.0 ");
            assertThat(w.send("EXPN list")).isEqualTo("502 5.5.1 Command not implemented here");
            assertThat(w.send("HELP")).startsWith("214 2.0.0 Commands: ");
            assertThat(w.send("STARTTLS")).isEqualTo("502 5.5.1 STARTTLS is not offered here");
            assertThat(w.send("AUTH PLAIN")).isEqualTo("502 5.5.1 AUTH is not offered on this port");
            assertThat(w.send("RSET")).isEqualTo("250 2.0.0 Reset, no transaction in progress");
            assertThat(w.send("QUIT")).isEqualTo("221 2.0.0 Bye");
            assertThat(w.reply()).as("closed after QUIT").isNull();
        }
    }

    @Test
    void aTooLongLineIsRefusedAndTheSessionGoesOn() throws Exception {
        try (SmtpDialogue w = open()) {
            String exact = "NOOP " + "x".repeat(2048 - 2 - 5); // 2048 bytes with CRLF
            assertThat(w.send(exact)).isEqualTo("250 2.0.0 Ok");
            assertThat(w.send(exact + "x")).isEqualTo("500 5.5.2 Line too long: a command line may have at most 2048 bytes");
            assertThat(w.send("NOOP " + "y".repeat(100_000))).startsWith("500 5.5.2 Line too long");
            assertThat(w.send("MAIL FROM:<" + SELLER + "> SIZE=100 " + "BODY=8BITMIME ".repeat(80).trim()))
                    .as("a 1,200 byte line with parameters is read whole").isEqualTo("250 2.1.0 Sender ok");
            assertThat(w.send("RCPT TO:<" + alias + ">")).isEqualTo("250 2.1.5 Recipient ok");
        }
    }

    @Test
    void aBareLineFeedEndsNoCommand() throws Exception {
        try (SmtpDialogue w = open()) {
            w.raw("NOOP\n");
            assertThat(w.reply()).isEqualTo("500 5.5.2 Command lines must end with CRLF");
            assertThat(w.send("NOOP")).isEqualTo("250 2.0.0 Ok");
        }
    }

    @Test
    void tooManyErrorsEndTheSession() throws Exception {
        try (SmtpDialogue w = open()) {
            assertThat(w.send("RCPT TO:<" + alias + ">")).startsWith("503 5.5.1 ");
            for (int i = 2; i < 20; i++) {
                assertThat(w.send("BOGUS " + i)).isEqualTo("500 5.5.2 Command not recognized");
            }
            assertThat(w.send("NOOP")).as("good commands do not count").isEqualTo("250 2.0.0 Ok");
            assertThat(w.send("MAIL FROM:x")).as("the 20th error").startsWith("501 5.5.4 ");
            assertThat(w.reply()).isEqualTo("421 4.7.0 Too many errors, closing connection");
            assertThat(w.reply()).as("closed").isNull();
        }
    }
}
