package org.postfach.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Relay;
import org.postfach.testing.Api;
import org.postfach.testing.Browser;
import org.postfach.testing.MutableClock;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/**
 * SPEC §10, the in-mail actions, end to end: a buyer's mail through the SMTP listener reaches the seller (GreenMail)
 * with "No response needed" and "Report this message" at the end of its text and its HTML, attachments untouched;
 * each link, opened on the relay's HTTP server, changes nothing until its button's POST, which then acts on the
 * archived message; the links stop working after web.linkDays.
 */
class InMailActionsIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static final String PUBLIC_URL = "https://links.marketplace.example";
    static final Pattern ACTION = Pattern.compile(Pattern.quote(PUBLIC_URL) + "/action/[A-Za-z0-9_-]+");
    static final String SELLER = "versand@weinhandel-example.de";
    static final String SERVICE = "service@weinhandel-example.de";
    static final String BUYER = "erika.private@buyer-example.de";
    static final byte[] PDF = ("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    Relay relay;
    Api api;
    String sellerAlias;
    String buyerAlias;
    Browser browser;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, smarthost.getSmtp().getPort(),
                Map.of("POSTFACH_WEB_PUBLICURL", PUBLIC_URL, "POSTFACH_WEB_LINKDAYS", "30"), clock);
        api = TestRelay.api(relay);
        browser = new Browser(relay, PUBLIC_URL);
        sellerAlias = api.seller("s1", "Weinhandel Berg", SELLER, SERVICE);
        api.buyer("b1", "Erika Muster", BUYER);
        buyerAlias = api.order("302-2222222-2222222", "s1", "b1", "wine");
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void aBuyerMessageEndsWithBothActionsAndEachActsOnlyByItsButton() throws Exception {
        assertThat(buyerSends(("From: " + BUYER + "\r\nSubject: Frage zur Lieferung, Tel. 0171 2345678\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "Wann kommt der Grüne Veltliner?\r\nGrüße, Erika").getBytes(StandardCharsets.UTF_8))).startsWith("250");
        MimeMessage got = delivered(1).get(0);
        String text = (String) got.getContent();
        assertThat(text).startsWith("Wann kommt der Grüne Veltliner?\r\nGrüße, Erika\r\n\r\n-- \r\n");
        assertThat(text).contains("Keine Antwort erforderlich / No response needed:")
                .contains("Nachricht melden / Report this message:");
        List<String> links = links(text);
        assertThat(links).hasSize(2);
        String noResponse = links.get(0);
        String report = links.get(1);
        long id = buyerMessageId();
        assertThat(message(id).get("responseRequired").asBoolean()).isTrue();

        // opened (a scanner, a preview): the page names the message and changes nothing
        HttpResponse<String> page = browser.get(noResponse, "de");
        assertThat(page.statusCode()).isEqualTo(200);
        // the subject as the seller got it: the phone number was removed (SPEC §4), and the page does not bring it back
        assertThat(page.body()).contains("Frage zur Lieferung, Tel. [removed]").contains(buyerAlias)
                .contains("2026-12-07 10:00 UTC").contains("<button type=\"submit\">Keine Antwort erforderlich</button>")
                .doesNotContain(BUYER).doesNotContain("2345678");
        assertThat(browser.get(report, "en").body()).contains("<legend>Reason</legend>").contains("value=\"inappropriate\"")
                .contains("<label for=\"note\">");
        assertThat(message(id).get("responseRequired").asBoolean()).isTrue();
        assertThat(api.ok("GET", "/api/reports", null).get("items")).isEmpty();

        // the buttons act
        HttpResponse<String> marked = browser.post(noResponse, "lang=en");
        assertThat(marked.statusCode()).isEqualTo(200);
        assertThat(marked.body()).contains("Marked: this message needs no response.");
        assertThat(message(id).get("responseRequired").asBoolean()).isFalse();
        assertThat(message(id).get("noResponseNeeded").asBoolean()).isTrue();
        assertThat(browser.get(noResponse, "en").body()).contains("This message does not await a response.")
                .doesNotContain("<button");

        assertThat(browser.post(report, "lang=en").statusCode()).as("no reason chosen").isEqualTo(400);
        assertThat(browser.post(report, "reason=nonsense").body()).contains("Please choose a reason.");
        HttpResponse<String> reported = browser.post(report, "reason=spam&note=Werbung+f%C3%BCr+Wein&lang=en");
        assertThat(reported.statusCode()).isEqualTo(200);
        assertThat(reported.body()).contains("The message has been reported. Thank you.");
        JsonNode reports = api.ok("GET", "/api/reports", null).get("items");
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).get("messageId").asLong()).isEqualTo(id);
        assertThat(reports.get(0).get("reason").asText()).isEqualTo("spam");
        assertThat(reports.get(0).get("note").asText()).isEqualTo("Werbung für Wein");

        // web.linkDays later the links are dead, and say so
        clock.advance(Duration.ofDays(30));
        HttpResponse<String> expired = browser.get(noResponse, "en");
        assertThat(expired.statusCode()).isEqualTo(404);
        assertThat(expired.body()).contains("not valid or has expired");
        assertThat(browser.post(report, "reason=spam").statusCode()).isEqualTo(404);
        assertThat(api.ok("GET", "/api/reports", null).get("items")).hasSize(1);
    }

    @Test
    void theFooterGoesIntoTheTextAndTheHtmlOnceAndAttachmentsStayAsTheyCame() throws Exception {
        String html = "<html><body><p>Gr&uuml;&szlig;e, Erika</p></body></html>";
        String message = "From: " + BUYER + "\r\nSubject: Rechnung\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n"
                + "--m\r\nContent-Type: multipart/alternative; boundary=\"a\"\r\n\r\n"
                + "--a\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "Anbei die Rechnung. Gr=FC=DFe, Erika\r\n"
                + "--a\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(html.getBytes(StandardCharsets.UTF_8)) + "\r\n"
                + "--a--\r\n"
                + "--m\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Disposition: inline\r\n\r\n"
                + "Zweiter Textteil.\r\n"
                + "--m\r\nContent-Type: application/pdf; name=\"rechnung.pdf\"\r\n"
                + "Content-Disposition: attachment; filename=\"rechnung.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(PDF) + "\r\n"
                + "--m--\r\n";
        assertThat(buyerSends(message.getBytes(StandardCharsets.ISO_8859_1))).startsWith("250");
        MimeMessage got = delivered(1).get(0);
        Multipart mixed = (Multipart) got.getContent();
        Multipart alternative = (Multipart) mixed.getBodyPart(0).getContent();
        String plain = (String) alternative.getBodyPart(0).getContent();
        String htmlOut = (String) alternative.getBodyPart(1).getContent();
        assertThat(plain).startsWith("Anbei die Rechnung. Grüße, Erika\r\n\r\n-- \r\n");
        assertThat(links(plain)).hasSize(2);
        assertThat(alternative.getBodyPart(0).getHeader("Content-Transfer-Encoding")).containsExactly("quoted-printable");
        assertThat(htmlOut).startsWith("<html><body><p>Gr&uuml;&szlig;e, Erika</p><div").endsWith("</div></body></html>");
        assertThat(links(htmlOut)).isEqualTo(links(plain));
        assertThat((String) mixed.getBodyPart(1).getContent()).isEqualTo("Zweiter Textteil.").doesNotContain("/action/");
        BodyPart pdf = mixed.getBodyPart(2);
        assertThat(pdf.getFileName()).isEqualTo("rechnung.pdf");
        assertThat(pdf.getInputStream().readAllBytes()).isEqualTo(PDF);
    }

    @Test
    void aSellersReplyThatQuotesTheBuyerDoesNotHandTheLinksToTheBuyer() throws Exception {
        assertThat(buyerSends(("From: " + BUYER + "\r\nSubject: Frage\r\n\r\nWann?\r\n")
                .getBytes(StandardCharsets.UTF_8))).startsWith("250");
        MimeMessage question = delivered(1).get(0);
        String quoted = ((String) question.getContent()).replaceAll("(?m)^", "> ");
        List<String> links = links(quoted);
        assertThat(links).hasSize(2);
        String html = "<html><body><p>Morgen.</p><blockquote><a href=\"" + links.get(0) + "\">No response needed</a>"
                + "</blockquote></body></html>";
        String reply = "From: " + SELLER + "\r\nSubject: Re: Frage\r\nIn-Reply-To: " + question.getMessageID()
                + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"r\"\r\n\r\n"
                + "--r\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nMorgen.\r\n\r\n" + quoted + "\r\n"
                + "--r\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n" + html + "\r\n--r--\r\n";
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO weinhandel-example.de");
            assertThat(s.mail(SELLER, buyerAlias, reply.getBytes(StandardCharsets.UTF_8))).startsWith("250");
        }
        MimeMessage answer = delivered(2).stream().filter(m -> subject(m).equals("Re: Frage")).findFirst().orElseThrow();
        Multipart parts = (Multipart) answer.getContent();
        String text = (String) parts.getBodyPart(0).getContent();
        String htmlOut = (String) parts.getBodyPart(1).getContent();
        assertThat(text).startsWith("Morgen.").contains("> Wann?").contains("[removed]").doesNotContain("/action/");
        assertThat(htmlOut).contains("Morgen.").doesNotContain("/action/");
        assertThat(browser.get(links.get(0), "en").statusCode()).as("the links themselves still work for the seller")
                .isEqualTo(200);
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSellersMessageToTheBuyerCarriesNoActions() throws Exception {
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO weinhandel-example.de");
            assertThat(s.mail(SELLER, buyerAlias, ("From: " + SELLER + "\r\nSubject: Lieferung\r\n\r\nMorgen.\r\n")
                    .getBytes(StandardCharsets.UTF_8))).startsWith("250");
        }
        MimeMessage got = delivered(1).get(0);
        assertThat((String) got.getContent()).startsWith("Morgen.").doesNotContain("/action/").doesNotContain("-- ");
    }

    String buyerSends(byte[] message) throws Exception {
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO buyer-example.de");
            return s.mail(BUYER, sellerAlias, message);
        }
    }

    List<MimeMessage> delivered(int count) {
        assertThat(smarthost.waitForIncomingEmail(15_000, count)).as(count + " message(s) delivered").isTrue();
        return List.of(smarthost.getReceivedMessages());
    }

    static List<String> links(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = ACTION.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    long buyerMessageId() {
        for (JsonNode m : api.ok("GET", "/api/messages?sellerId=s1", null).get("items")) {
            if (m.get("route").asText().equals("buyer-to-seller")) {
                return m.get("id").asLong();
            }
        }
        throw new AssertionError("no buyer message archived");
    }

    JsonNode message(long id) {
        return api.ok("GET", "/api/messages/" + id, null);
    }
}
