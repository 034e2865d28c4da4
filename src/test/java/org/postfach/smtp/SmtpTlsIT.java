package org.postfach.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Relay;
import org.postfach.testing.Api;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestCertificates;
import org.postfach.testing.TestRelay;

/** SPEC §7: STARTTLS from PEM files, TLSv1.2+ only, never twice, and nothing pipelined in clear text runs inside. */
class SmtpTlsIT {
    @TempDir
    static Path keys;
    @TempDir
    Path dir;
    Relay relay;
    String alias;

    @BeforeAll
    static void certificate() throws Exception {
        TestCertificates.create(keys);
        assertThat(Files.readString(keys.resolve("key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(keys.resolve("rsa-key.pem"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    }

    static String openssl(String... args) throws Exception {
        return TestCertificates.openssl(keys, args);
    }

    void start(String key) {
        relay = TestRelay.start(dir, 9, Map.of("POSTFACH_SMTP_TLS_CERTIFICATE", keys.resolve("cert.pem").toString(),
                "POSTFACH_SMTP_TLS_KEY", keys.resolve(key).toString()));
        Api api = TestRelay.api(relay);
        api.seller("s", "Shop", "seller@shop.example", "cs@shop.example");
        api.buyer("b", "Buyer", "buyer@buyer.example");
        alias = api.order("o", "s", "b", null);
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void startTlsIsOfferedOnceAndNotAgainInsideTls() throws Exception {
        start("key.pem");
        try (SmtpDialogue w = new SmtpDialogue(relay.smtpPort())) {
            assertThat(w.send("EHLO client.example")).contains("250-STARTTLS");
            assertThat(w.send("STARTTLS now")).isEqualTo("501 5.5.4 Syntax: this command takes no parameters");
            assertThat(w.send("STARTTLS")).isEqualTo("220 2.0.0 Ready to start TLS");
            w.handshake();
            assertThat(w.protocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(w.send("MAIL FROM:<seller@shop.example>")).as("EHLO again after TLS (RFC 3207)")
                    .isEqualTo("503 5.5.1 Send EHLO or HELO first");
            assertThat(w.send("EHLO client.example")).doesNotContain("STARTTLS").contains("250-ENHANCEDSTATUSCODES");
            assertThat(w.send("STARTTLS")).isEqualTo("503 5.5.1 TLS is already active");
            assertThat(w.send("MAIL FROM:<seller@shop.example>")).isEqualTo("250 2.1.0 Sender ok");
            assertThat(w.send("RCPT TO:<" + alias + ">")).isEqualTo("250 2.1.5 Recipient ok");
        }
    }

    @Test
    void commandsPipelinedBehindStartTlsAreDiscarded() throws Exception {
        start("key.pem");
        try (SmtpDialogue w = new SmtpDialogue(relay.smtpPort())) {
            assertThat(w.send("EHLO client.example")).contains("250-STARTTLS");
            w.raw("STARTTLS\r\nMAIL FROM:<seller@shop.example>\r\n"); // one write: one packet
            assertThat(w.reply()).isEqualTo("220 2.0.0 Ready to start TLS");
            w.handshake();
            assertThat(w.send("EHLO client.example")).startsWith("250-");
            assertThat(w.send("RCPT TO:<" + alias + ">")).as("no MAIL transaction inside TLS")
                    .isEqualTo("503 5.5.1 Send MAIL first");
            assertThat(w.send("NOOP")).as("and no stray reply queued").isEqualTo("250 2.0.0 Ok");
        }
    }

    @Test
    void anRsaPrivateKeyInPkcs1FormWorksToo() throws Exception {
        start("rsa-key.pem");
        try (SmtpDialogue w = new SmtpDialogue(relay.smtpPort())) {
            w.send("EHLO client.example");
            assertThat(w.send("STARTTLS")).startsWith("220 2.0.0");
            w.handshake("TLSv1.2");
            assertThat(w.protocol()).isEqualTo("TLSv1.2");
            assertThat(w.send("NOOP")).isEqualTo("250 2.0.0 Ok");
        }
    }

    @Test
    void onlyTls12AndTls13AreAccepted() throws Exception {
        start("key.pem");
        String port = "127.0.0.1:" + relay.smtpPort();
        assertThat(sClient(port, "-tls1_2")).contains("Protocol  : TLSv1.2");
        assertThat(sClient(port, "-tls1_3")).contains("TLSv1.3");
        // SECLEVEL=0 so that it is the server, not the local OpenSSL policy, that refuses TLSv1.1
        assertThatThrownBy(() -> sClient(port, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"))
                .hasMessageContaining("exited 1");
        try (SmtpDialogue w = new SmtpDialogue(relay.smtpPort())) {
            w.send("EHLO client.example");
            assertThat(w.send("STARTTLS")).startsWith("220 2.0.0");
            // the JDK client cannot even offer TLSv1.1 by default; it fails either way, and the server must not hang
            assertThatThrownBy(() -> w.handshake("TLSv1.1")).isInstanceOf(SSLException.class);
        }
    }

    static String sClient(String hostPort, String... protocol) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("s_client", "-connect", hostPort, "-starttls", "smtp"));
        args.addAll(List.of(protocol));
        return openssl(args.toArray(new String[0]));
    }
}
