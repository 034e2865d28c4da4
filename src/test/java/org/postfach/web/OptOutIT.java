package org.postfach.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postfach.testing.Privacy.assertNoRealAddress;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Relay;
import org.postfach.testing.Api;
import org.postfach.testing.Browser;
import org.postfach.testing.Archive;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/**
 * SPEC §10, the buyer's opt-out of one seller in one click, end to end: a seller's mail through the SMTP listener
 * reaches the buyer (GreenMail) with RFC 8058 List-Unsubscribe fields; their link, opened on the relay's HTTP server,
 * changes nothing until its POST; after that the seller's non-essential mail is blocked as by the opt-out of SPEC
 * §4 (exemptions still hold), other sellers' mail is not, and the undo lets it through again.
 */
class OptOutIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static final String PUBLIC_URL = "https://links.marketplace.example";
    static final String SELLER = "versand@weinhandel-example.de";
    static final String OTHER_SELLER = "info@buchladen-example.de";
    static final String BUYER = "erika.private@buyer-example.de";

    @TempDir
    Path dir;
    Relay relay;
    Api api;
    String sellerAlias;
    String buyerAlias;
    String otherBuyerAlias;
    Browser browser;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, smarthost.getSmtp().getPort(), Map.of("POSTFACH_WEB_PUBLICURL", PUBLIC_URL + "/"));
        api = TestRelay.api(relay);
        browser = new Browser(relay, PUBLIC_URL);
        sellerAlias = api.seller("s1", "Weinhandel Berg & Söhne", SELLER, "service@weinhandel-example.de");
        api.seller("s2", "Buchladen", OTHER_SELLER, "service@buchladen-example.de");
        api.buyer("b1", "Erika Muster", BUYER);
        buyerAlias = api.order("302-2222222-2222222", "s1", "b1", "wine");
        otherBuyerAlias = api.order("302-5555555-5555555", "s2", "b1", "books");
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void aBuyerOptsOutOfOneSellerInOneClickAndCanUndoIt() throws Exception {
        assertThat(send(SELLER, buyerAlias, "Neue Weine im Sortiment", "Schauen Sie mal rein.")).startsWith("250");
        MimeMessage first = awaitDeliveries(1).get(0);
        String field = first.getHeader("List-Unsubscribe", null);
        assertThat(field).matches("<" + PUBLIC_URL.replace(".", "\\.") + "/unsubscribe/[A-Za-z0-9_-]{30,}>");
        assertThat(first.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        assertNoRealAddress(first, SELLER, "service@weinhandel-example.de");
        String link = field.substring(1, field.length() - 1);

        // opening the link (a mail scanner, a preview) shows the choice and changes nothing
        HttpResponse<String> page = browser.get(link, "en-GB,en;q=0.8");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.body()).contains("Weinhandel Berg &amp; Söhne").contains("<form method=\"post\">")
                .contains("<button type=\"submit\">Unsubscribe</button>").doesNotContain("Erika").doesNotContain(BUYER);
        assertThat(browser.get(link, "de-DE,de;q=0.9,en;q=0.5").body()).contains("<button type=\"submit\">Abbestellen</button>");
        assertThat(browser.get(link + "?lang=de", null).body()).contains("Abbestellen").contains("href=\"?lang=en\"");
        assertThat(browser.head(link)).isEqualTo(200);
        assertThat(optedOutSellers()).isEmpty();
        assertThat(send(SELLER, buyerAlias, "Sommerangebote", "Nur diese Woche.")).startsWith("250");
        awaitDeliveries(2);

        // the mailbox provider's one-click POST (RFC 8058)
        HttpResponse<String> done = browser.post(link, "List-Unsubscribe=One-Click");
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("You have unsubscribed.").contains("name=\"action\" value=\"undo\"");
        assertThat(optedOutSellers()).containsExactly("s1");
        assertThat(api.ok("GET", "/api/buyers/b1", null).get("optedOut").asBoolean()).isFalse();
        assertThat(api.ok("GET", "/api/aliases/" + buyerAlias, null).get("optedOut").asBoolean()).isTrue();
        assertThat(api.ok("GET", "/api/aliases/" + otherBuyerAlias, null).get("optedOut").asBoolean()).isFalse();
        assertThat(browser.get(link, null).body()).contains("Receive them again"); // the page now offers the undo

        // the seller's advertising is blocked and archived (SPEC §4), its notice names only the alias
        assertThat(send(SELLER, buyerAlias, "Herbstangebote", "Jetzt zugreifen.")).startsWith("250");
        // an exemption of SPEC §4 still holds
        assertThat(send(SELLER, buyerAlias, "[Wichtig] Lieferadresse", "Bitte bestätigen Sie die Adresse.")).startsWith("250");
        // another seller's mail is not affected
        assertThat(send(OTHER_SELLER, otherBuyerAlias, "Neue Bücher", "Lesetipps.")).startsWith("250");
        List<MimeMessage> got = awaitDeliveries(5);
        assertThat(subjectsTo(got, BUYER)).containsExactlyInAnyOrder("Neue Weine im Sortiment", "Sommerangebote",
                "[Wichtig] Lieferadresse", "Neue Bücher");
        assertThat(subjectsTo(got, SELLER)).hasSize(1); // the notice about the blocked one
        try (Archive archive = new Archive(relay)) {
            List<Archive.Row> rows = archive.messages();
            Archive.Row blocked = rows.stream().filter(r -> "BLOCKED".equals(r.status())).findFirst().orElseThrow();
            assertThat(blocked.blockedRule()).isEqualTo("opt-out");
            assertThat(rows).filteredOn(r -> "BLOCKED".equals(r.status())).hasSize(1);
        }

        // the other seller's link is its own: it opts out of that seller only
        MimeMessage fromOther = got.stream().filter(m -> subject(m).equals("Neue Bücher")).findFirst().orElseThrow();
        String otherLink = fromOther.getHeader("List-Unsubscribe", null).replaceAll("^<|>$", "");
        assertThat(otherLink).isNotEqualTo(link);
        assertThat(browser.post(otherLink, "List-Unsubscribe=One-Click").statusCode()).isEqualTo(200);
        assertThat(optedOutSellers()).containsExactly("s1", "s2");
        assertThat(browser.post(otherLink, "action=undo&lang=de").body()).contains("wieder");

        // undo: the seller's mail reaches the buyer again
        HttpResponse<String> undone = browser.post(link, "action=undo&lang=en");
        assertThat(undone.statusCode()).isEqualTo(200);
        assertThat(undone.body()).contains("You receive messages from this seller again.")
                .contains("<button type=\"submit\">Unsubscribe</button>");
        assertThat(optedOutSellers()).isEmpty();
        assertThat(send(SELLER, buyerAlias, "Winterangebote", "Glühwein.")).startsWith("250");
        assertThat(subjectsTo(awaitDeliveries(6), BUYER)).contains("Winterangebote");
    }

    @Test
    void aForgedOrEditedLinkChangesNothing() throws Exception {
        assertThat(send(SELLER, buyerAlias, "Neue Weine", "Schauen Sie mal rein.")).startsWith("250");
        String link = awaitDeliveries(1).get(0).getHeader("List-Unsubscribe", null).replaceAll("^<|>$", "");
        String token = link.substring(link.lastIndexOf('/') + 1);
        String base = link.substring(0, link.lastIndexOf('/') + 1);
        byte[] sealed = java.util.Base64.getUrlDecoder().decode(token);
        sealed[sealed.length - 1] ^= 1; // the last byte of the sealed seller id
        String edited = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
        // sealed with another key, as a forger without data/link-key would
        String foreign = new org.postfach.links.Links("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII),
                URI.create(PUBLIC_URL)).optOutUrl("b1", "s1").substring(base.length());
        for (String forged : List.of(base + edited, base + foreign, base + token.substring(1), base + "x",
                base + token + "/more", base + "%25zz", base)) {
            HttpResponse<String> r = browser.post(forged, "List-Unsubscribe=One-Click");
            assertThat(r.statusCode()).as(forged).isEqualTo(404);
            assertThat(r.body()).contains("This link is not valid.");
            assertThat(browser.get(forged, "de").statusCode()).isEqualTo(404);
        }
        assertThat(optedOutSellers()).isEmpty();
        assertThat(browser.send("PUT", link, "x")).isEqualTo(405);
        assertThat(optedOutSellers()).isEmpty();
    }

    @Test
    void onlyASellersMessageToABuyerCarriesTheLink() throws Exception {
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO buyer-example.de");
            assertThat(s.mail(BUYER, sellerAlias, ("From: " + BUYER + "\r\nSubject: Frage\r\n"
                    + "List-Unsubscribe: <https://buyer-example.de/u?e=" + BUYER + ">\r\n\r\nWann?\r\n")
                    .getBytes(StandardCharsets.UTF_8))).startsWith("250");
        }
        MimeMessage question = awaitDeliveries(1).get(0);
        assertThat(question.getHeader("List-Unsubscribe")).isNull(); // and the buyer's own field is dropped
        assertThat(question.getHeader("List-Unsubscribe-Post")).isNull();
    }

    String send(String from, String to, String subject, String body) throws Exception {
        byte[] message = ("From: " + from + "\r\nTo: someone\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO shop.example");
            return s.mail(from, to, message);
        }
    }

    List<MimeMessage> awaitDeliveries(int count) {
        assertThat(smarthost.waitForIncomingEmail(15_000, count)).as(count + " message(s) delivered").isTrue();
        return List.of(smarthost.getReceivedMessages());
    }

    static List<String> subjectsTo(List<MimeMessage> messages, String recipient) throws Exception {
        List<String> out = new ArrayList<>();
        for (MimeMessage m : messages) {
            if (((InternetAddress) m.getAllRecipients()[0]).getAddress().equals(recipient)) {
                out.add(subject(m));
            }
        }
        return out;
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> optedOutSellers() {
        JsonNode sellers = api.ok("GET", "/api/buyers/b1", null).get("optedOutSellers");
        List<String> out = new ArrayList<>();
        sellers.forEach(n -> out.add(n.asText()));
        return out;
    }
}
