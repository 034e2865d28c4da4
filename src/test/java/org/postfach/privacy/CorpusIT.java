package org.postfach.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postfach.testing.Privacy.assertNoRealAddress;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postfach.Relay;
import org.postfach.testing.Api;
import org.postfach.testing.Corpus;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/**
 * SPEC §5 with mail as real clients write it: every corpus message relayed in both directions reaches the other
 * side without the sender's address, domain, IP or HELO name, without third-party addresses, with display names
 * from the directory and every attachment byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorpusIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(false);

    record Party(String email, String domain, String personName, String directoryName, String ip, String helo) {
    }

    static final Party SELLER = new Party("klaus@klaus-berg-wein.de", "klaus-berg-wein.de", "Klaus Berg",
            "Weinhandel Berg", "198.51.100.23", "mail.klaus-berg-wein.de");
    static final Party BUYER = new Party("erika.private@erika-home.de", "erika-home.de", "Erika Privat",
            "Erika M.", "203.0.113.77", "erika-laptop.erika-home.de");

    @TempDir
    static Path dir;
    Relay relay;
    String sellerAlias;
    String buyerAlias;

    @BeforeAll
    void start() {
        relay = TestRelay.start(dir, smarthost.getSmtp().getPort(), Map.of());
        Api api = TestRelay.api(relay);
        sellerAlias = api.seller("s1", SELLER.directoryName(), SELLER.email(), "service@klaus-berg-wein.de");
        api.buyer("b1", BUYER.directoryName(), BUYER.email());
        buyerAlias = api.order("302-1234567-7654321", "s1", "b1", "wine");
    }

    @AfterAll
    void stop() {
        relay.close();
    }

    static List<Object[]> cases() {
        List<Object[]> out = new ArrayList<>();
        for (Corpus.Entry e : Corpus.entries()) {
            out.add(new Object[] {e.file(), "seller-to-buyer", e});
            out.add(new Object[] {e.file(), "buyer-to-seller", e});
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void relayedWithoutATraceOfTheSender(String file, String direction, Corpus.Entry entry) throws Exception {
        boolean fromSeller = direction.equals("seller-to-buyer");
        Party from = fromSeller ? SELLER : BUYER;
        Party to = fromSeller ? BUYER : SELLER;
        String rcpt = fromSeller ? buyerAlias : sellerAlias;
        Map<String, String> values = new HashMap<>();
        values.put("FROM_EMAIL", from.email());
        values.put("FROM_NAME", from.personName());
        values.put("FROM_DOMAIN", from.domain());
        values.put("FROM_IP", from.ip());
        values.put("FROM_HELO", from.helo());
        values.put("TO", rcpt);
        values.put("TO_NAME", to.directoryName());
        values.put("PREV_MSGID", "<CAF=prev." + file.substring(0, 2) + "@" + from.helo() + ">");
        byte[] raw = Corpus.render(file, values);

        smarthost.purgeEmailFromAllMailboxes();
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO " + from.helo());
            assertThat(s.mail(from.email(), rcpt, raw)).as(file).startsWith("250 2.0.0");
        }
        assertThat(smarthost.waitForIncomingEmail(15_000, 1)).as(file + " delivered").isTrue();
        MimeMessage got = smarthost.getReceivedMessages()[0];

        List<String> secrets = new ArrayList<>(List.of(from.email(), from.domain(), from.ip(), from.helo()));
        secrets.addAll(Corpus.THIRD_PARTY_ADDRESSES);
        assertNoRealAddress(got, secrets.toArray(String[]::new));
        InternetAddress sender = (InternetAddress) got.getFrom()[0];
        assertThat(sender.getAddress()).isEqualTo(fromSeller ? sellerAlias : buyerAlias);
        assertThat(sender.getPersonal()).isEqualTo(from.directoryName());
        assertThat(got.getHeader("Cc") == null ? "" : String.join(",", got.getHeader("Cc")))
                .doesNotContain("@klaus-berg-wein.de").doesNotContain("@erika-home.de");
        assertThat(got.getHeader("Bcc")).isNull();

        Map<String, String> hashes = new HashMap<>();
        collectAttachments(got, hashes);
        assertThat(hashes).as(file + " attachments byte for byte").containsAllEntriesOf(entry.attachmentSha256ByName());
    }

    static void collectAttachments(Part part, Map<String, String> out) throws Exception {
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                collectAttachments(child, out);
            }
            return;
        }
        String name = part.getFileName();
        if (name != null) {
            name = MimeUtility.decodeText(name);
            try (InputStream in = part.getInputStream()) {
                out.put(name, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
            }
        }
    }
}
