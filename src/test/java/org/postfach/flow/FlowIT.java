package org.postfach.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postfach.testing.Privacy.assertNoRealAddress;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Relay;
import org.postfach.mail.Replies;
import org.postfach.testing.Api;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/** Seller to buyer and buyer to seller through the listener, the store, the queue and a real smarthost. */
class FlowIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static final String SELLER = "orders@shop-example.de";
    static final String SELLER_CS = "kundenservice@shop-example.de";
    static final String BUYER = "anna.schmidt@mail-example.de";
    static final String CLIENT_IP = "203.0.113.77";
    static final String HELO = "mx.shop-example.de";

    @TempDir
    Path dir;
    Relay relay;
    Api api;
    String sellerAlias;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, smarthost.getSmtp().getPort(), Map.of());
        api = TestRelay.api(relay);
        sellerAlias = api.seller("s1", "Schmidt & Söhne GmbH", SELLER, SELLER_CS);
        api.buyer("b1", "Anna Schmidt", BUYER);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    static byte[] message(String from, String to, String subject, String extraHeaders, String body) {
        return ("Received: from " + HELO + " ([" + CLIENT_IP + "]) by mx.shop-example.de with ESMTPS\r\n"
                + "From: \"" + from + "\" <" + from + ">\r\n"
                + "To: <" + to + ">\r\n"
                + "Reply-To: " + from + "\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Tue, 24 Nov 2026 10:00:00 +0100\r\n"
                + "X-Originating-IP: [" + CLIENT_IP + "]\r\n"
                + extraHeaders
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    MimeMessage only() throws Exception {
        assertThat(smarthost.waitForIncomingEmail(15_000, 1)).as("one message delivered").isTrue();
        MimeMessage[] got = smarthost.getReceivedMessages();
        assertThat(got).hasSize(1);
        return got[0];
    }

    @Test
    void sellerToBuyerIsDeliveredToTheBuyersRealAddressFromTheSellerAlias() throws Exception {
        String buyerAlias = api.order("302-1111111-2222222", "s1", "b1", null);
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO " + HELO);
            String reply = s.mail(SELLER, buyerAlias, message(SELLER, buyerAlias, "Ihre Bestellung",
                    "Message-ID: <abc.123@" + HELO + ">\r\n", "Guten Tag, Ihr Paket ist unterwegs. Grüße"));
            assertThat(reply).isEqualTo(Replies.OK.toString());
        }
        MimeMessage m = only();
        assertThat(m.getAllRecipients()).extracting(Object::toString).containsExactly("Anna Schmidt <" + BUYER + ">");
        InternetAddress from = (InternetAddress) m.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo(sellerAlias);
        assertThat(from.getPersonal()).isEqualTo("Schmidt & Söhne GmbH");
        assertThat(m.getReplyTo()).extracting(a -> ((InternetAddress) a).getAddress()).containsExactly(sellerAlias);
        assertThat(m.getMessageID()).endsWith("@marketplace.example>");
        // the only Received is the smarthost's own, naming the relay; the client's Received lines are gone
        assertThat(m.getHeader("Received")).singleElement().asString().contains("HELO marketplace.example");
        assertThat(m.getSubject()).isEqualTo("Ihre Bestellung");
        assertThat(((String) m.getContent()).trim()).isEqualTo("Guten Tag, Ihr Paket ist unterwegs. Grüße");
        // the envelope sender, as the smarthost recorded it: a signed bounce address on the alias domain
        assertThat(m.getHeader("Return-Path", null)).matches("<bounce\\+[a-z0-9]+\\.[0-9a-f]{16}@marketplace\\.example>");
        assertNoRealAddress(m, SELLER, SELLER_CS, "shop-example.de", CLIENT_IP, HELO);
    }

    @Test
    void buyerToSellerCreatesThePairAliasAndReachesCustomerService() throws Exception {
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO mail-example.de");
            assertThat(s.mail(BUYER, sellerAlias, message(BUYER, sellerAlias, "Frage zum Artikel", "",
                    "Hallo, ist der Artikel noch da?"))).isEqualTo(Replies.OK.toString());
        }
        MimeMessage m = only();
        assertThat(m.getAllRecipients()).extracting(a -> ((InternetAddress) a).getAddress()).containsExactly(SELLER_CS);
        InternetAddress from = (InternetAddress) m.getFrom()[0];
        assertThat(from.getPersonal()).isEqualTo("Anna Schmidt");
        String buyerAlias = from.getAddress();
        assertThat(buyerAlias).endsWith("@marketplace.example").hasSize(35);
        // the alias created by the mail is the pair's one alias: an order later answers the same
        assertThat(api.order("302-3333333-4444444", "s1", "b1", null)).isEqualTo(buyerAlias);
        assertThat(api.ok("GET", "/api/aliases/" + buyerAlias.toUpperCase(), null).get("buyerId").asText())
                .isEqualTo("b1");
        assertNoRealAddress(m, BUYER, "mail-example.de", CLIENT_IP);
    }

    @Test
    void aReplyThreadsOnBothSides() throws Exception {
        String buyerAlias = api.order("302-5555555-6666666", "s1", "b1", null);
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO " + HELO);
            SmtpDialogue.expect(s.mail(SELLER, buyerAlias, message(SELLER, buyerAlias, "Lieferung",
                    "Message-ID: <first@" + HELO + ">\r\n", "Ihr Paket kommt morgen.")), "250");
        }
        MimeMessage toBuyer = only();
        String relayId = toBuyer.getMessageID();
        smarthost.purgeEmailFromAllMailboxes();
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO mail-example.de");
            SmtpDialogue.expect(s.mail(BUYER, sellerAlias, message(BUYER, sellerAlias, "Re: Lieferung",
                    "Message-ID: <reply@mail-example.de>\r\nIn-Reply-To: " + relayId + "\r\nReferences: "
                            + relayId + " <unknown@elsewhere.example>\r\n", "Danke!")), "250");
        }
        MimeMessage toSeller = only();
        assertThat(toSeller.getHeader("In-Reply-To", null)).isEqualTo("<first@" + HELO + ">");
        assertThat(toSeller.getHeader("References", null)).isEqualTo("<first@" + HELO + ">");
        assertThat(toSeller.getMessageID()).endsWith("@marketplace.example>").isNotEqualTo(relayId);
        assertNoRealAddress(toSeller, BUYER, "mail-example.de", "elsewhere.example");
    }

    static String unfolded(MimeMessage m, String name) throws Exception {
        return m.getHeader(name, null).replaceAll("\\r?\\n[ \\t]+", " ");
    }

    /** Sends one message in the conversation and answers it as the recipient received it. */
    MimeMessage converse(String from, String to, String messageId, String inReplyTo, String references)
            throws Exception {
        smarthost.purgeEmailFromAllMailboxes();
        String headers = "Message-ID: " + messageId + "\r\n" + (inReplyTo == null ? ""
                : "In-Reply-To: " + inReplyTo + "\r\nReferences: " + references + "\r\n");
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO client.example");
            SmtpDialogue.expect(s.mail(from, to, message(from, to, "Re: Lieferung", headers, "Text")), "250");
        }
        return only();
    }

    @Test
    void aFourMessageConversationKeepsAChainOfKnownIdsOnEachSide() throws Exception {
        String buyerAlias = api.order("302-7777777-8888888", "s1", "b1", null);
        String s1 = "<s1@" + HELO + ">";
        String b2 = "<b2@mail-example.de>";
        String s3 = "<s3@" + HELO + ">";
        String b4 = "<b4@mail-example.de>";

        MimeMessage m1 = converse(SELLER, buyerAlias, s1, null, null);
        String r1 = m1.getMessageID();
        assertThat(m1.getHeader("In-Reply-To")).isNull();

        MimeMessage m2 = converse(BUYER, sellerAlias, b2, r1, r1);
        String r2 = m2.getMessageID();
        assertThat(m2.getHeader("In-Reply-To", null)).isEqualTo(s1);
        assertThat(unfolded(m2, "References")).isEqualTo(s1);

        MimeMessage m3 = converse(SELLER, buyerAlias, s3, r2, s1 + " " + r2);
        String r3 = m3.getMessageID();
        assertThat(m3.getHeader("In-Reply-To", null)).isEqualTo(b2);
        assertThat(unfolded(m3, "References")).isEqualTo(r1 + " " + b2);

        MimeMessage m4 = converse(BUYER, sellerAlias, b4, r3, r1 + " " + b2 + " " + r3);
        assertThat(m4.getHeader("In-Reply-To", null)).isEqualTo(s3);
        assertThat(unfolded(m4, "References")).isEqualTo(s1 + " " + r2 + " " + s3);

        assertThat(java.util.Set.of(r1, r2, r3, m4.getMessageID())).hasSize(4)
                .allSatisfy(id -> assertThat(id).endsWith("@marketplace.example>"));
        assertNoRealAddress(m3, SELLER, HELO, CLIENT_IP);
        assertNoRealAddress(m4, BUYER, "mail-example.de");
    }

    @Test
    void aCarrierReachesTheBuyerOnBehalfOfTheSellerCountsAndTheReplyReachesTheSeller() throws Exception {
        String buyerAlias = api.order("302-9999999-0000000", "s1", "b1", null);
        api.ok("PATCH", "/api/buyers/b1", "{\"optedOut\":true}"); // carrier mail is not subject to the opt-out
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO mailout.dhl.de");
            SmtpDialogue.expect(s.mail("noreply@track.dhl.de", buyerAlias, message("noreply@track.dhl.de", buyerAlias,
                    "Ihre Sendung kommt heute", "Message-ID: <track1@dhl.de>\r\n",
                    "Ihre Sendung 00340434161234567890 wird heute zugestellt. Service: 0228 4333112")), "250");
        }
        MimeMessage toBuyer = only();
        InternetAddress from = (InternetAddress) toBuyer.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo(sellerAlias);
        assertThat(from.getPersonal()).isEqualTo("Schmidt & Söhne GmbH (dhl.de)");
        assertThat(((InternetAddress) toBuyer.getAllRecipients()[0]).getAddress()).isEqualTo(BUYER);
        assertThat(toBuyer.getContent().toString()).contains("0228 4333112"); // the carrier's own text stays
        assertNoRealAddress(toBuyer, SELLER, "noreply@track.dhl.de");

        smarthost.purgeEmailFromAllMailboxes();
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO mail-example.de");
            SmtpDialogue.expect(s.mail(BUYER, sellerAlias, message(BUYER, sellerAlias, "Re: Ihre Sendung kommt heute",
                    "In-Reply-To: " + toBuyer.getMessageID() + "\r\n", "Wo ist mein Paket?")), "250");
        }
        MimeMessage toSeller = only();
        assertThat(((InternetAddress) toSeller.getAllRecipients()[0]).getAddress()).isEqualTo(SELLER_CS);
        assertThat(toSeller.getHeader("In-Reply-To", null)).isEqualTo(toBuyer.getMessageID());
        assertNoRealAddress(toSeller, BUYER);
        // SPEC §3.3: carrier mail counts towards the seller's daily limit.
        try (org.postfach.testing.Archive archive = new org.postfach.testing.Archive(relay)) {
            assertThat(archive.sentToday("s1")).isEqualTo(1);
        }
    }
}
