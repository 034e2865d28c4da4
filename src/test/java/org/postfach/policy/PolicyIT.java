package org.postfach.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postfach.testing.Privacy.assertNoRealAddress;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Relay;
import org.postfach.testing.Api;
import org.postfach.testing.Archive;
import org.postfach.testing.SampleFiles;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/** SPEC §4 end to end: through the listener, the store and the queue to GreenMail as the smarthost. */
class PolicyIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static final String SELLER = "versand@weinhandel-example.de";
    static final String BUYER = "erika.private@buyer-example.de";
    static final String PHONE = "+49 171 2345678";

    @TempDir
    Path dir;
    Relay relay;
    Api api;
    String sellerAlias;
    String buyerAlias;

    void start(Map<String, String> overrides) {
        relay = TestRelay.start(dir, smarthost.getSmtp().getPort(), overrides);
        api = TestRelay.api(relay);
        sellerAlias = api.seller("s1", "Weinhandel Berg", SELLER, "service@weinhandel-example.de");
        api.buyer("b1", "Erika Muster", BUYER);
        buyerAlias = api.order("302-2222222-2222222", "s1", "b1", "wine");
        api.order("302-4444444-4444444", "s1", "b1", "books");
    }

    void optOut() {
        api.ok("PATCH", "/api/buyers/b1", "{\"optedOut\":true}");
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    static byte[] text(String from, String subject, String extraHeaders, String body) {
        return ("From: " + from + "\r\nTo: someone\r\nSubject: " + subject + "\r\n" + extraHeaders
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    String send(byte[] message) throws Exception {
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO shop.example");
            return s.mail(SELLER, buyerAlias, message);
        }
    }

    MimeMessage[] delivered(int count) {
        assertThat(smarthost.waitForIncomingEmail(15_000, count)).as(count + " message(s) delivered").isTrue();
        return smarthost.getReceivedMessages();
    }

    @Test
    void blockedMailIsArchivedAndTheSellerGetsANoticeNamingOnlyTheAlias() throws Exception {
        start(Map.of());
        optOut();
        assertThat(send(text(SELLER, "Neue Weine im Sortiment", "", "Schauen Sie mal rein."))).startsWith("250 2.0.0");

        MimeMessage notice = delivered(1)[0];
        assertThat(recipient(notice)).isEqualTo(SELLER);
        assertThat(notice.getHeader("Return-Path")[0]).matches("<bounce\\+[a-z0-9]+\\.[0-9a-f]{16}@marketplace\\.example>");
        assertThat(notice.getHeader("Auto-Submitted")[0]).isEqualTo("auto-generated");
        String body = GreenMailUtil.getBody(notice);
        assertThat(notice.getContent().toString()).contains(buyerAlias).contains("[Wichtig]");
        assertNoRealAddress(notice, BUYER, "Erika Muster");
        assertThat(body).isNotEmpty();

        try (Archive archive = new Archive(relay)) {
            List<Archive.Row> rows = archive.messages();
            assertThat(rows).extracting(Archive.Row::route).containsExactly("seller-to-buyer", "notice");
            Archive.Row blocked = rows.get(0);
            assertThat(blocked.status()).isEqualTo("BLOCKED");
            assertThat(blocked.blockedRule()).isEqualTo("opt-out");
            assertThat(blocked.deliveredTo()).isNull();
            assertThat(archive.queued(blocked.id())).isZero();
            assertThat(archive.forms(blocked.id())).containsExactly("ORIGINAL");
            assertThat(archive.events(blocked.id())).containsExactly("opt-out: blocked");
        }
    }

    @Test
    void noNoticeWhenTheSellerSwitchedNoticesOffAndNoneForAutomaticMail() throws Exception {
        start(Map.of());
        optOut();
        assertThat(send(text(SELLER, "Ich bin im Urlaub", "Auto-Submitted: auto-replied\r\n", "Abwesend.")))
                .startsWith("250");
        api.ok("PATCH", "/api/sellers/s1", "{\"bounceNotices\":false}");
        assertThat(send(text(SELLER, "Neue Weine", "", "Angebote"))).startsWith("250");
        try (Archive archive = new Archive(relay)) {
            assertThat(archive.messages()).extracting(Archive.Row::status).containsExactly("BLOCKED", "BLOCKED");
        }
        // Something that is delivered after both: had a notice been queued, it would be there too.
        assertThat(send(text(SELLER, "[Wichtig] Lieferung", "", "Kommt morgen."))).startsWith("250");
        MimeMessage[] got = delivered(1);
        assertThat(got).hasSize(1);
        assertThat(got[0].getSubject()).isEqualTo("[Wichtig] Lieferung");
        assertThat(recipient(got[0])).isEqualTo(BUYER);
    }

    @Test
    void eachExemptionLetsSellerMailThroughAnOptOut() throws Exception {
        start(Map.of());
        // The buyer writes first (before opting out), so that there is a thread to reply in.
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO buyer-example.de");
            assertThat(s.mail(BUYER, sellerAlias, ("From: " + BUYER + "\r\nSubject: Frage\r\nMessage-ID: <q1@buyer-example.de>\r\n\r\nWann?\r\n")
                    .getBytes(StandardCharsets.UTF_8))).startsWith("250");
        }
        MimeMessage question = delivered(1)[0];
        String relayId = question.getMessageID();
        optOut();

        assertThat(send(text(SELLER, "=?UTF-8?Q?=5BWichtig=5D_R=C3=BCckfrage?=", "", "Adresse?"))).startsWith("250");
        assertThat(send(text(SELLER, "Re: Frage", "In-Reply-To: " + relayId + "\r\n", "Morgen."))).startsWith("250");
        assertThat(send(text(SELLER, "Lieferung", "", "Ihre Bestellung 302-2222222-2222222 kommt."))).startsWith("250");
        assertThat(send(text(SELLER, "Lieferung", "", "Ihre Bestellung 302-4444444-4444444 kommt."))).startsWith("250");

        MimeMessage[] got = delivered(5); // the question, three exempt messages, the notice for the books order
        Awaitility.await().until(() -> smarthost.getReceivedMessages().length >= 5);
        Map<String, Integer> toBuyer = new HashMap<>();
        for (MimeMessage m : smarthost.getReceivedMessages()) {
            toBuyer.merge(recipient(m), 1, Integer::sum);
        }
        assertThat(toBuyer).containsEntry(BUYER, 3).containsEntry(SELLER, 1);
        try (Archive archive = new Archive(relay)) {
            List<Archive.Row> rows = archive.messages();
            assertThat(rows).extracting(Archive.Row::route).containsExactly("buyer-to-seller", "seller-to-buyer",
                    "seller-to-buyer", "seller-to-buyer", "seller-to-buyer", "notice");
            assertThat(rows).extracting(Archive.Row::status).filteredOn("BLOCKED"::equals).hasSize(1);
            assertThat(rows.get(4).status()).isEqualTo("BLOCKED");
            assertThat(archive.events(rows.get(1).id())).contains("opt-out: exempt: important-tag");
            assertThat(archive.events(rows.get(2).id())).contains("opt-out: exempt: buyer-thread");
            assertThat(archive.events(rows.get(3).id())).contains("opt-out: exempt: order-category");
        }
        assertThat(got).isNotEmpty();
    }

    @Test
    void misusingTheImportantTagIsBlockedWithItsOwnNoticeWhenConfigured() throws Exception {
        start(Map.of("POSTFACH_POLICY_IMPORTANTMISUSE", "block"));
        assertThat(send(text(SELLER, "[Wichtig] Ihre Meinung zählt", "", "Bitte bewerten Sie uns mit 5 Sternen!")))
                .startsWith("250 2.0.0");
        MimeMessage notice = delivered(1)[0];
        assertThat(recipient(notice)).isEqualTo(SELLER);
        assertThat(notice.getContent().toString()).contains(buyerAlias).contains("review");
        assertNoRealAddress(notice, BUYER);
        try (Archive archive = new Archive(relay)) {
            Archive.Row blocked = archive.messages().get(0);
            assertThat(blocked.status()).isEqualTo("BLOCKED");
            assertThat(blocked.blockedRule()).isEqualTo("important-misuse");
            assertThat(archive.events(blocked.id())).containsExactly(
                    "important-misuse: review request (\"bewerten\")", "important-misuse: blocked");
        }
    }

    @Test
    void theDailyLimitAdmitsTheLastMessageAndDefersTheNext() throws Exception {
        start(Map.of("POSTFACH_POLICY_DAILYLIMIT_BASE", "3"));
        // 2 orders in 30 days: 5 × 2 / 30 = 0 more; the limit is 3.
        for (int i = 1; i <= 3; i++) {
            assertThat(send(text(SELLER, "Nachricht " + i, "", "Text"))).as("message " + i).startsWith("250 2.0.0");
        }
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO shop.example");
            SmtpDialogue.expect(s.send("MAIL FROM:<" + SELLER + ">"), "250");
            assertThat(s.send("RCPT TO:<" + buyerAlias + ">")).startsWith("450 4.7.1 ").contains(" 3 messages per day");
            SmtpDialogue.expect(s.send("RSET"), "250");
            // the buyer is not limited by the seller's limit
            assertThat(s.mail(BUYER, sellerAlias, text(BUYER, "Frage", "", "Hallo"))).startsWith("250");
        }
        delivered(4);
        // Counted durably: after a restart the day's count is still there.
        relay.close();
        relay = TestRelay.start(dir, smarthost.getSmtp().getPort(), Map.of("POSTFACH_POLICY_DAILYLIMIT_BASE", "3"));
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO shop.example");
            SmtpDialogue.expect(s.send("MAIL FROM:<" + SELLER + ">"), "250");
            assertThat(s.send("RCPT TO:<" + buyerAlias + ">")).startsWith("450 4.7.1 ");
        }
    }

    @Test
    void forbiddenAndDisguisedAttachmentsAreRefusedAfterDataAndTheSessionGoesOn() throws Exception {
        start(Map.of());
        byte[] exe = SampleFiles.exe();
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO shop.example");
            String zip = s.mail(SELLER, buyerAlias, withAttachment("tools.zip", "application/zip", SampleFiles.bytes("zip")));
            assertThat(zip).startsWith("550 5.7.1 Attachment not allowed: ").contains("tools.zip")
                    .contains("txt, pdf, doc, docx, jpg, jpeg, gif, tif, tiff, bmp and png");
            String disguised = s.mail(SELLER, buyerAlias, withAttachment("rechnung.pdf", "application/pdf", exe));
            assertThat(disguised).startsWith("550 5.7.1 Attachment not allowed: ").contains("rechnung.pdf");
            byte[] pdf = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(s.mail(SELLER, buyerAlias, withAttachment("rechnung.pdf", "application/pdf", pdf)))
                    .startsWith("250 2.0.0");
        }
        MimeMessage got = delivered(1)[0];
        assertThat(GreenMailUtil.getWholeMessage(got)).contains(Base64.getMimeEncoder().encodeToString(
                "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII)).split("\r\n")[0]);
        try (Archive archive = new Archive(relay)) {
            assertThat(archive.messages()).hasSize(1); // refused mail is not stored
        }
    }

    @Test
    void contactDetailsAreRemovedFromPlainTextAndHtmlAndRecorded() throws Exception {
        start(Map.of());
        String plain = "Rufen Sie mich an: " + PHONE + " oder schreiben Sie an " + SELLER + ".\r\nIhre Bestellung 302-2222222-2222222.";
        String html = "<html><body><p>Telefon: <a href=\"tel:+491712345678\">" + PHONE + "</a>, Mail: <a href=\"mailto:"
                + SELLER + "\">" + SELLER + "</a>. Bestellung 302-2222222-2222222.</p></body></html>";
        String message = "From: " + SELLER + "\r\nSubject: Ihre Lieferung\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + plain + "\r\n"
                + "--b1\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(html.getBytes(StandardCharsets.UTF_8)) + "\r\n"
                + "--b1--\r\n";
        assertThat(send(message.getBytes(StandardCharsets.UTF_8))).startsWith("250 2.0.0");
        MimeMessage got = delivered(1)[0];
        assertNoRealAddress(got, SELLER, PHONE, "1712345678", "2345678");
        String whole = decodedParts(got);
        assertThat(whole).contains("[removed]").contains("302-2222222-2222222");
        try (Archive archive = new Archive(relay)) {
            long id = archive.messages().get(0).id();
            assertThat(archive.events(id)).contains("contact-details: email removed from text/plain",
                    "contact-details: phone removed from text/plain", "contact-details: email removed from text/html",
                    "contact-details: phone removed from text/html");
        }
    }

    static String recipient(MimeMessage m) throws Exception {
        return ((jakarta.mail.internet.InternetAddress) m.getAllRecipients()[0]).getAddress();
    }

    static String decodedParts(MimeMessage m) throws Exception {
        jakarta.mail.Multipart mp = (jakarta.mail.Multipart) m.getContent();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < mp.getCount(); i++) {
            b.append(mp.getBodyPart(i).getContent()).append('\n');
        }
        return b.toString();
    }

    static byte[] withAttachment(String name, String type, byte[] content) {
        return ("From: " + SELLER + "\r\nSubject: Ihre Rechnung\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"m1\"\r\n\r\n"
                + "--m1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nAnbei die Rechnung.\r\n"
                + "--m1\r\nContent-Type: " + type + "; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\""
                + name + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(content) + "\r\n--m1--\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
