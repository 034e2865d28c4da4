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
}
