package org.postfach.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Relay;
import org.postfach.mail.Replies;
import org.postfach.testing.Api;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestCertificates;
import org.postfach.testing.TestRelay;

/** SPEC §7 on the wire: the submission port, AUTH after STARTTLS, the signed-in seller's own addresses only. */
class SubmissionIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());
    @TempDir
    static Path keys;
    @TempDir
    Path dir;
    Relay relay;
    Api api;
    String alias;
    String password;

    @BeforeAll
    static void certificate() throws Exception {
        TestCertificates.create(keys);
    }

    void start(boolean requireTls) {
        Map<String, String> env = new HashMap<>(Map.of("POSTFACH_SMTP_TLS_CERTIFICATE", keys.resolve("cert.pem").toString(),
                "POSTFACH_SMTP_TLS_KEY", keys.resolve("key.pem").toString(),
                "POSTFACH_SMTP_SUBMISSION_REQUIRETLS", Boolean.toString(requireTls)));
        relay = TestRelay.start(dir, smarthost.getSmtp().getPort(), env);
        api = TestRelay.api(relay);
        alias = api.pair();
        api.seller("s2", "Other Shop", "owner@other.example", "cs@other.example");
        password = api.ok("POST", "/api/sellers/s/credentials", null).get("password").asText();
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    static byte[] message(String from) {
        return ("From: " + from + "\r\nSubject: Versand\r\n\r\nIhr Paket ist unterwegs.\r\n").getBytes(StandardCharsets.UTF_8);
    }

    SmtpDialogue tls() throws Exception {
        SmtpDialogue s = new SmtpDialogue(relay.submissionPort());
        assertThat(s.send("EHLO client.example")).contains("250-STARTTLS").doesNotContain("AUTH");
        assertThat(s.send("STARTTLS")).startsWith("220 2.0.0");
        s.handshake();
        assertThat(s.send("EHLO client.example")).contains("250-AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
        return s;
    }

    @Test
    void beforeTlsThereIsNoLoginAndNoMail() throws Exception {
        start(true);
        try (SmtpDialogue s = new SmtpDialogue(relay.submissionPort())) {
            assertThat(s.send("EHLO client.example")).doesNotContain("AUTH");
            assertThat(s.send("AUTH PLAIN " + plain("seller@shop.example", password)))
                    .isEqualTo(Replies.TLS_REQUIRED_FOR_AUTH.toString());
            assertThat(s.send("MAIL FROM:<seller@shop.example>")).isEqualTo(Replies.AUTH_REQUIRED.toString());
        }
    }

    @Test
    void aSignedInSellerSendsFromItsOwnAddressOnly() throws Exception {
        start(true);
        try (SmtpDialogue s = tls()) {
            assertThat(s.send("MAIL FROM:<seller@shop.example>")).isEqualTo(Replies.AUTH_REQUIRED.toString());
            assertThat(s.send("AUTH PLAIN " + plain("seller@shop.example", "wrong"))).isEqualTo(Replies.AUTH_FAILED.toString());
            assertThat(s.send("AUTH PLAIN " + plain("seller@shop.example", password))).isEqualTo(Replies.AUTH_OK.toString());
            assertThat(s.send("AUTH PLAIN " + plain("seller@shop.example", password))).isEqualTo(Replies.AUTH_SEQUENCE.toString());
            assertThat(s.send("MAIL FROM:<owner@other.example>")).isEqualTo(Replies.NOT_YOUR_ADDRESS.toString());
            assertThat(s.send("MAIL FROM:<>")).isEqualTo(Replies.NOT_YOUR_ADDRESS.toString());
            SmtpDialogue.expect(s.send("MAIL FROM:<seller@shop.example>"), "250");
            SmtpDialogue.expect(s.send("RCPT TO:<" + alias + ">"), "250");
            SmtpDialogue.expect(s.send("DATA"), "354");
            s.raw(SmtpDialogue.dotStuff(message("owner@other.example")));
            s.raw(".\r\n");
            assertThat(s.reply()).isEqualTo(Replies.FROM_NOT_AUTHORIZED.toString()); // the From: must be its own too
            assertThat(s.mail("seller@shop.example", alias, message("seller@shop.example"))).startsWith("250 2.0.0");
        }
        assertThat(smarthost.waitForIncomingEmail(15_000, 1)).isTrue();
        MimeMessage got = smarthost.getReceivedMessages()[0];
        assertThat(((InternetAddress) got.getAllRecipients()[0]).getAddress()).isEqualTo("buyer@buyer.example");
    }

    @Test
    void authLoginWorksAndWithoutTlsOnlyWhenConfigured() throws Exception {
        start(false);
        try (SmtpDialogue s = new SmtpDialogue(relay.submissionPort())) {
            assertThat(s.send("EHLO client.example")).contains("250-AUTH PLAIN LOGIN");
            assertThat(s.send("AUTH LOGIN")).isEqualTo("334 VXNlcm5hbWU6");
            assertThat(s.send(Base64.getEncoder().encodeToString("seller@shop.example".getBytes()))).isEqualTo("334 UGFzc3dvcmQ6");
            assertThat(s.send(Base64.getEncoder().encodeToString(password.getBytes()))).isEqualTo(Replies.AUTH_OK.toString());
            assertThat(s.mail("seller@shop.example", alias, message("seller@shop.example"))).startsWith("250 2.0.0");
        }
    }

    @Test
    void failedLoginsAreLimitedPerClientAddress() throws Exception {
        start(false);
        try (SmtpDialogue s = new SmtpDialogue(relay.submissionPort())) {
            s.send("EHLO client.example");
            for (int i = 1; i < Submission.MAX_FAILURES; i++) {
                assertThat(s.send("AUTH PLAIN " + plain("seller@shop.example", "guess" + i))).isEqualTo(Replies.AUTH_FAILED.toString());
            }
            assertThat(s.send("AUTH PLAIN " + plain("seller@shop.example", "guess"))).isEqualTo(Replies.TOO_MANY_LOGINS.toString());
            assertThat(s.reply()).as("connection closed").isNull();
        }
        try (SmtpDialogue s = new SmtpDialogue(relay.submissionPort())) {
            s.send("EHLO client.example");
            assertThat(s.send("AUTH PLAIN " + plain("seller@shop.example", password))).isEqualTo(Replies.TOO_MANY_LOGINS.toString());
        }
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO client.example");
            assertThat(s.send("AUTH PLAIN " + plain("seller@shop.example", password))).startsWith("502 5.5.1");
        }
    }
}
