package org.postfach.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Postfach;
import org.postfach.Relay;
import org.postfach.testing.Api;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/** SPEC §7 and §9 end to end: keygen, the relay signs with that key, the mail the smarthost got verifies. */
class DkimIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static final String SELLER = "orders@shop-example.de";
    static final String BUYER = "anna.schmidt@mail-example.de";

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Postfach.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The TXT value from the printed zone file line: its quoted strings joined, as a resolver joins them. */
    static String txtValue(String printed, String owner) {
        String line = printed.lines().filter(l -> l.startsWith(owner + " IN TXT ")).findFirst().orElseThrow();
        StringBuilder value = new StringBuilder();
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(line);
        while (m.find()) {
            assertThat(m.group(1).length()).as("one DNS string").isLessThanOrEqualTo(255);
            value.append(m.group(1));
        }
        return value.toString();
    }

    @Test
    void keygenThenEveryDeliveredMessageVerifiesAgainstThePrintedRecord() throws Exception {
        Path key = dir.resolve("keys/dkim-s1.pem");
        Result keygen = run("dkim", "keygen", "--selector", "s1", "--out", key.toString());
        assertThat(keygen.code()).as(keygen.err()).isZero();
        assertThat(keygen.out()).contains("dkim.selector=s1\n", "dkim.privateKey=" + key.toAbsolutePath() + "\n");
        String record = txtValue(keygen.out(), "s1._domainkey.marketplace.example.");
        assertThat(record).startsWith("v=DKIM1; k=rsa; p=MII");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        if (Files.getFileStore(key).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        }

        // a second keygen to the same file refuses, in one line, and leaves the key alone
        String before = Files.readString(key);
        Result again = run("dkim", "keygen", "--selector", "s1", "--out", key.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err().lines()).singleElement().asString().contains(key.toAbsolutePath().toString());
        assertThat(Files.readString(key)).isEqualTo(before);

        Relay relay = TestRelay.start(dir.resolve("data"), smarthost.getSmtp().getPort(),
                Map.of("POSTFACH_DKIM_SELECTOR", "s1", "POSTFACH_DKIM_PRIVATEKEY", key.toString()));
        try {
            Api api = TestRelay.api(relay);
            api.seller("s1", "Schmidt & Söhne GmbH", SELLER, "kundenservice@shop-example.de");
            api.buyer("b1", "Anna Schmidt", BUYER);
            String buyerAlias = api.order("302-1111111-2222222", "s1", "b1", null);
            byte[] mail = ("From: " + SELLER + "\r\nTo: <" + buyerAlias + ">\r\n"
                    + "Subject: =?UTF-8?Q?Ihre_Bestellung_=C3=BCber_uns?=\r\n"
                    + "Date: Tue, 24 Nov 2026 10:00:00 +0100\r\nMessage-ID: <abc.1@shop-example.de>\r\n"
                    + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Transfer-Encoding: 8bit\r\n\r\nGuten Tag, Ihr Paket ist unterwegs. Grüße\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
                s.send("EHLO mx.shop-example.de");
                SmtpDialogue.expect(s.mail(SELLER, buyerAlias, mail), "250");
            }
            assertThat(smarthost.waitForIncomingEmail(15_000, 1)).isTrue();
            MimeMessage received = smarthost.getReceivedMessages()[0];
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            received.writeTo(raw); // Return-Path and Received added by the smarthost are not signed
            assertThat(received.getHeader("DKIM-Signature")).hasSize(1);
            // SPEC §10, RFC 8058: the one-click opt-out fields are signed, or mailbox providers ignore them
            assertThat(received.getHeader("List-Unsubscribe")).hasSize(1);
            assertThat(received.getHeader("DKIM-Signature")[0].replaceAll("\\s", ""))
                    .containsIgnoringCase(":List-Unsubscribe:List-Unsubscribe-Post;");

            DKIMVerifier verifier = new DKIMVerifier((method, selector, domain) -> {
                if (!"s1".contentEquals(selector) || !"marketplace.example".contentEquals(domain)) {
                    throw new PermFailException("no record for " + selector + "._domainkey." + domain);
                }
                return List.of(record);
            });
            List<SignatureRecord> ok = verifier.verify(new ByteArrayInputStream(raw.toByteArray()));
            assertThat(ok).singleElement().satisfies(r -> assertThat(r.getDToken()).hasToString("marketplace.example"));
            java.security.PublicKey published = java.security.KeyFactory.getInstance("RSA").generatePublic(
                    new java.security.spec.X509EncodedKeySpec(java.util.Base64.getDecoder()
                            .decode(record.substring(record.indexOf("p=") + 2))));
            assertThat(DkimSignerTest.headerSignatureVerifiesAsWritten(raw.toByteArray(), published)).isTrue();

            // a notice is signed too: the buyer opts out, the seller's next mail is blocked, the seller is told
            smarthost.purgeEmailFromAllMailboxes();
            api.ok("PATCH", "/api/buyers/b1", "{\"optedOut\":true}");
            try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
                s.send("EHLO mx.shop-example.de");
                SmtpDialogue.expect(s.mail(SELLER, buyerAlias, mail), "250");
            }
            assertThat(smarthost.waitForIncomingEmail(15_000, 1)).isTrue();
            MimeMessage notice = smarthost.getReceivedMessages()[0];
            assertThat(notice.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
            ByteArrayOutputStream noticeRaw = new ByteArrayOutputStream();
            notice.writeTo(noticeRaw);
            assertThat(verifier.verify(new ByteArrayInputStream(noticeRaw.toByteArray()))).hasSize(1);
            assertThat(DkimSignerTest.headerSignatureVerifiesAsWritten(noticeRaw.toByteArray(), published)).isTrue();
        } finally {
            relay.close();
        }
    }

    @Test
    void keygenWithABadSelectorIsOneLineAndExitTwo() {
        Result r = run("dkim", "keygen", "--selector", "bad selector!", "--out", dir.resolve("k.pem").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(dir.resolve("k.pem")).doesNotExist();
    }

    @Test
    void keygenDefaultsToTheDataDirectory() {
        Path data = dir.resolve("data");
        Path config = dir.resolve("postfach.properties");
        try {
            Files.writeString(config, "data.dir=" + data + "\npostfach.domain=shop.example\n");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        Result r = run("dkim", "keygen", "--selector", "2026a", "--config", config.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(data.resolve("dkim-2026a.pem")).exists();
        assertThat(r.out()).contains("2026a._domainkey.shop.example. IN TXT \"v=DKIM1; k=rsa; p=");
    }
}
