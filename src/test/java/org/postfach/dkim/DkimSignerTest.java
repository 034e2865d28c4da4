package org.postfach.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.config.Settings;

/** SPEC §7: what we sign verifies with jDKIM against the published key, and a change breaks it. No DNS. */
class DkimSignerTest {
    static final String DOMAIN = "marketplace.example";
    static KeyPair keys;
    static DkimSigner signer;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() {
        keys = DkimKeys.generate();
        signer = new DkimSigner(DOMAIN, "s1", keys.getPrivate());
    }

    /** A verifier whose only DNS record is {@code s1._domainkey.marketplace.example}. */
    static DKIMVerifier verifier(PublicKey key) {
        return new DKIMVerifier((method, selector, domain) -> {
            if (!"s1".contentEquals(selector) || !DOMAIN.contentEquals(domain)) {
                throw new PermFailException("no key for " + selector + "._domainkey." + domain);
            }
            return List.of(DkimKeys.txtValue(key));
        });
    }

    static List<SignatureRecord> verify(byte[] message) throws Exception {
        return verifier(keys.getPublic()).verify(new ByteArrayInputStream(message));
    }

    static byte[] message(String subject, String body) {
        return ("From: \"Schmidt & Soehne GmbH\" <s.abcdefghijklmnopqrstuv@marketplace.example>\r\n"
                + "To: Anna Schmidt <anna.schmidt@mail-example.de>\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <tok123@marketplace.example>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void aSignedMessageVerifiesAndTheSignatureSaysWhatWeSign() throws Exception {
        byte[] signed = signer.sign(message("Ihre Bestellung", "Guten Tag,\r\nIhr Paket ist unterwegs.\r\n"));
        // jDKIM writes the tags in its own order; the signature covers that text, so it is left as it is
        assertThat(text(signed)).startsWith("DKIM-Signature: ").contains("\tv=1;")
                .endsWith("\r\n\r\nGuten Tag,\r\nIhr Paket ist unterwegs.\r\n");
        List<SignatureRecord> ok = verify(signed);
        assertThat(ok).singleElement().satisfies(r -> {
            assertThat(r.getDToken()).hasToString(DOMAIN);
            assertThat(r.getSelector()).hasToString("s1");
            assertThat(r.getHeaderCanonicalisationMethod()).isEqualTo("relaxed");
            assertThat(r.getBodyCanonicalisationMethod()).isEqualTo("relaxed");
            assertThat(r.getHashKeyType()).hasToString("rsa");
            assertThat(r.getHashMethod()).hasToString("sha256");
            assertThat(r.getSignatureTimestamp()).isNotNull();
            assertThat(r.getHeaders()).extracting(CharSequence::toString)
                    .containsExactly(DkimSigner.SIGNED_HEADERS.split(":"));
        });
        // folded between tags: no header line over 998 bytes, and short ones apart from b= and h=
        String header = text(signed).substring(0, text(signed).indexOf("\r\nFrom:"));
        assertThat(header.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThan(400));
    }

    @Test
    void theFoldedHeaderVerifiesAsWrittenNotOnlyAsJdkimReparsesIt() throws Exception {
        // jDKIM's verifier hashes its own re-serialization of the DKIM-Signature; RFC 6376 verifiers (dkimpy,
        // Gmail) hash the header as received with b= emptied. Check the latter by hand: relaxed header
        // canonicalization (§3.4.2) of the signed headers, then the signature header, then RSA-SHA256.
        byte[] signed = signer.sign(message("Ihre Bestellung", "Hallo\r\n"));
        assertThat(headerSignatureVerifiesAsWritten(signed, keys.getPublic())).isTrue();
    }

    /** RFC 6376 §3.7 for the header hash, over the DKIM-Signature as written (b= emptied), not as reparsed. */
    static boolean headerSignatureVerifiesAsWritten(byte[] signed, PublicKey key) throws Exception {
        String head = text(signed).substring(0, text(signed).indexOf("\r\n\r\n") + 2);
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (String field : head.split("\r\n(?![ \t])")) {
            fields.put(field.substring(0, field.indexOf(':')).toLowerCase(java.util.Locale.ROOT), field);
        }
        String dkim = fields.get("dkim-signature");
        String tags = dkim.replaceAll("\\s", "");
        String h = tags.replaceAll(".*[;:]h=([^;]*).*", "$1");
        String b = tags.replaceAll(".*[;:]b=([^;]*).*", "$1");
        StringBuilder canon = new StringBuilder();
        for (String name : h.split(":")) {
            String field = fields.get(name.toLowerCase(java.util.Locale.ROOT));
            if (field != null) {
                canon.append(relaxed(field)).append("\r\n");
            }
        }
        canon.append(relaxed(dkim.replaceFirst("(?<=[;:\\s])b=[^;]*", "b=")));
        java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
        rsa.initVerify(key);
        rsa.update(canon.toString().getBytes(StandardCharsets.UTF_8));
        return rsa.verify(java.util.Base64.getDecoder().decode(b));
    }

    static String relaxed(String field) {
        int colon = field.indexOf(':');
        return field.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT) + ":"
                + field.substring(colon + 1).replace("\r\n", "").replaceAll("[ \t]+", " ").trim();
    }

    @Test
    void aChangedBodyFails() throws Exception {
        String signed = text(signer.sign(message("Ihre Bestellung", "Der Preis ist 10 EUR.\r\n")));
        byte[] changed = signed.replace("10 EUR", "90 EUR").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> verify(changed)).isInstanceOf(FailException.class).hasMessageContaining("bodyhash");
    }

    @Test
    void aChangedSubjectFails() throws Exception {
        String signed = text(signer.sign(message("Ihre Bestellung", "Hallo\r\n")));
        byte[] changed = signed.replace("Subject: Ihre Bestellung", "Subject: Ihre Rechnung")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> verify(changed)).isInstanceOf(FailException.class)
                .hasMessageContaining("does not verify");
    }

    @Test
    void anAddedSignedHeaderFails() throws Exception {
        // Cc is named in h= though the message has none: nobody can add one on the way
        String signed = text(signer.sign(message("Ihre Bestellung", "Hallo\r\n")));
        byte[] changed = signed.replace("\r\n\r\nHallo", "\r\nCc: mallory@evil.example\r\n\r\nHallo")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> verify(changed)).isInstanceOf(FailException.class);
    }

    @Test
    void anotherKeyFails() {
        byte[] signed = signer.sign(message("Ihre Bestellung", "Hallo\r\n"));
        PublicKey other = DkimKeys.generate().getPublic();
        assertThatThrownBy(() -> verifier(other).verify(new ByteArrayInputStream(signed)))
                .isInstanceOf(FailException.class);
    }

    @Test
    void eightBitUtf8BodyAndFoldedHeadersVerify() throws Exception {
        byte[] raw = ("From: =?UTF-8?Q?Schmidt_&_S=C3=B6hne?= <s.abcdefghijklmnopqrstuv@marketplace.example>\r\n"
                + "To: Anna Schmidt\r\n <anna.schmidt@mail-example.de>\r\n"
                + "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_M=C3=BCnchen?=\r\n"
                + "\t=?UTF-8?Q?_und_noch_mehr_Text_in_einer_zweiten_Zeile?=\r\n"
                + "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <tok456@marketplace.example>\r\n"
                + "References: <a@x.example>\r\n    <b@y.example>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain;\r\n\tcharset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\nGrüße aus München, schöne Straße — 100 €\r\n  trailing spaces   \r\n\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(verify(signer.sign(raw))).hasSize(1);
    }

    @Test
    void bareLineFeedsAreSignedAsTheyWillBeSent() throws Exception {
        byte[] lf = text(message("Ihre Bestellung", "Zeile eins\r\nZeile zwei\r\n")).replace("\r\n", "\n")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(verify(signer.sign(lf))).hasSize(1); // SMTP sends CRLF; the signature covers that form
    }

    @Test
    void offMeansUntouched() {
        byte[] m = message("x", "y\r\n");
        assertThat(DkimSigner.of(new Settings.Dkim(null, null), DOMAIN).apply(m)).isSameAs(m);
    }

    @Test
    void theKeyWrittenByKeygenIsReadBackAndSigns() throws Exception {
        Path file = dir.resolve("dkim-s1.pem");
        DkimKeys.writePrivateKey(keys, file);
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        byte[] signed = DkimSigner.of(new Settings.Dkim("s1", file), DOMAIN).apply(message("a", "b\r\n"));
        assertThat(verify(signed)).hasSize(1);
        assertThatThrownBy(() -> DkimKeys.writePrivateKey(keys, file))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }

    @Test
    void anUnreadableKeyStopsStartUpNamingTheFile() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> DkimSigner.of(new Settings.Dkim("s1", missing), DOMAIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a key");
        assertThatThrownBy(() -> DkimSigner.of(new Settings.Dkim("s1", garbage), DOMAIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(garbage.toString());
        Path pkcs1 = Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n"
                + "-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> DkimSigner.of(new Settings.Dkim("s1", pkcs1), DOMAIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PKCS#1");
        Path broken = Files.writeString(dir.resolve("broken.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n"
                + "-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> DkimSigner.of(new Settings.Dkim("s1", broken), DOMAIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(broken.toString());
    }
}
