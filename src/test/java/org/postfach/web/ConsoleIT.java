package org.postfach.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * SPEC §10, the seller console's first part, end to end: buyers' mail through the SMTP listener; the marketplace asks
 * the API for a sign-in link; opening it changes nothing, its POST signs in once (a session cookie with the SPEC's
 * attributes); the inbox shows this seller's buyer messages that await a response, oldest first, as the seller got
 * them; sign-out needs the form's CSRF token.
 */
class ConsoleIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static final String PUBLIC_URL = "https://mail.marketplace.example";
    static final String BUYER = "erika.private@buyer-example.de";

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    Relay relay;
    Api api;
    String sellerAlias;
    String otherSellerAlias;
    String buyerAlias;
    Browser browser;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, smarthost.getSmtp().getPort(), Map.of("POSTFACH_WEB_PUBLICURL", PUBLIC_URL), clock);
        api = TestRelay.api(relay);
        browser = new Browser(relay, PUBLIC_URL);
        sellerAlias = api.seller("s1", "Weinhandel Berg", "versand@weinhandel-example.de", "service@weinhandel-example.de");
        otherSellerAlias = api.seller("s2", "Buchladen", "info@buchladen-example.de", "service@buchladen-example.de");
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
    void aSellerSignsInOnceByLinkSeesItsAwaitingMessagesOldestFirstAndSignsOut() throws Exception {
        buyerWrites(sellerAlias, "Wo bleibt meine Bestellung 302-2222222-2222222?");
        clock.advance(Duration.ofHours(5));
        buyerWrites(sellerAlias, "Rückruf bitte: 0171 2345678");
        buyerWrites(otherSellerAlias, "Frage an den Buchladen");
        clock.advance(Duration.ofMinutes(30));

        JsonNode link = api.ok("POST", "/api/sellers/s1/console-link", null);
        String url = link.get("url").asText();
        assertThat(url).matches(Pattern.quote(PUBLIC_URL) + "/console/signin/[a-z0-9]{32}");
        assertThat(Instant.parse(link.get("expiresAt").asText())).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(api.call("POST", "/api/sellers/nobody/console-link", null).status()).isEqualTo(404);

        // opening the link (a scanner, a preview) shows a button and does not spend the link
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> page = browser.get(url, null, "de");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Weinhandel Berg").contains("<button type=\"submit\">Anmelden</button>");
        }
        HttpResponse<String> signedIn = browser.post(url, "lang=en", null);
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).hasValue("/console/");
        String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("postfach_console=").contains("; Path=/console").contains("; HttpOnly")
                .contains("; SameSite=Lax").contains("; Secure").contains("; Max-Age=28800");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertThat(browser.post(url, "", null).statusCode()).as("a link signs in once").isEqualTo(404);

        HttpResponse<String> inbox = browser.get(PUBLIC_URL + "/console/", cookie, "en");
        assertThat(inbox.statusCode()).isEqualTo(200);
        String body = inbox.body();
        assertThat(body).contains("<h1>Awaiting response</h1>").contains("Weinhandel Berg")
                .contains("Wo bleibt meine Bestellung 302-2222222-2222222?").contains("Rückruf bitte: [removed]")
                .contains("302-2222222-2222222</td>").contains("5 h").contains("30 min")
                .doesNotContain("2345678").doesNotContain(BUYER).doesNotContain("Frage an den Buchladen");
        assertThat(body.indexOf("Wo bleibt")).as("oldest first").isLessThan(body.indexOf("Rückruf"));
        assertThat(browser.get(PUBLIC_URL + "/console/?lang=de", cookie, null).body()).contains("<h1>Antwort erforderlich</h1>")
                .contains("Abmelden");

        // without a session, or with a made-up one: to the sign-in page
        for (String c : new String[] {null, "postfach_console=nonsense", "postfach_console="}) {
            HttpResponse<String> r = browser.get(PUBLIC_URL + "/console/", c, "en");
            assertThat(r.statusCode()).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).hasValue("/console/signin");
        }
        assertThat(browser.get(PUBLIC_URL + "/console/signin", null, "en").body()).contains("seller tools");
        // malformed addresses are answers, not failures
        for (String bad : new String[] {"/console/c/%zz", "/console/c/%zz/a/1/0", "/console/c/x@y/a/nan/0",
                "/console/nothing", "/console/c/"}) {
            assertThat(rawStatus(bad, cookie)).as(bad).isIn(303, 400, 404); // 400: the JDK server refuses the URI
        }

        // sign-out needs the form's token
        assertThat(browser.post(PUBLIC_URL + "/console/signout", "csrf=wrong", cookie).statusCode()).isEqualTo(403);
        assertThat(browser.get(PUBLIC_URL + "/console/", cookie, "en").statusCode()).isEqualTo(200);
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([a-z0-9]+)\"").matcher(body);
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> out = browser.post(PUBLIC_URL + "/console/signout", "csrf=" + csrf.group(1), cookie);
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Set-Cookie")).get().asString().contains("Max-Age=0");
        assertThat(browser.get(PUBLIC_URL + "/console/", cookie, "en").statusCode()).isEqualTo(303);
    }

    @Test
    void aLinkExpiresAfterTenMinutesAndADisabledSellerCannotSignIn() throws Exception {
        String url = api.ok("POST", "/api/sellers/s1/console-link", null).get("url").asText();
        clock.advance(Duration.ofMinutes(10));
        assertThat(browser.get(url, null, "en").statusCode()).isEqualTo(404);
        HttpResponse<String> expired = browser.post(url, "", null);
        assertThat(expired.statusCode()).isEqualTo(404);
        assertThat(expired.body()).contains("expired");
        assertThat(expired.headers().firstValue("Set-Cookie")).isEmpty();

        String second = api.ok("POST", "/api/sellers/s2/console-link", null).get("url").asText();
        api.ok("PATCH", "/api/sellers/s2", "{\"disabled\":true}");
        assertThat(browser.post(second, "", null).statusCode()).isEqualTo(404);
        assertThat(browser.post(PUBLIC_URL + "/console/signin/" + "a".repeat(32), "", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aSellerReadsAConversationAndItsReplyGoesThroughTheRelayToTheBuyer() throws Exception {
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO buyer-example.de");
            assertThat(s.mail(BUYER, sellerAlias, ("From: Erika Muster <" + BUYER + ">\r\nSubject: Frage, Tel. 0171 2345678"
                    + "\r\nMessage-ID: <q1@buyer-example.de>\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=UTF-8\r\n\r\nWann kommt mein Wein? Ruf an: 0171 2345678\r\n")
                    .getBytes(StandardCharsets.UTF_8))).startsWith("250");
        }
        assertThat(smarthost.waitForIncomingEmail(15_000, 1)).isTrue();
        String cookie = signIn("s1");
        assertThat(browser.get(PUBLIC_URL + "/console/", cookie, "en").body())
                .contains("href=\"/console/c/" + buyerAlias + "\"");

        String conversation = PUBLIC_URL + "/console/c/" + buyerAlias;
        HttpResponse<String> page = browser.get(conversation, cookie, "en");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Wann kommt mein Wein? Ruf an: [removed]").contains("302-2222222-2222222")
                .contains("value=\"Re: Frage, Tel. [removed]\"").doesNotContain("2345678").doesNotContain(BUYER)
                .doesNotContain("/action/").doesNotContain("Keine Antwort erforderlich / No response needed")
                .doesNotContain("Erika");
        String csrf = field(page.body(), "csrf");
        String inReplyTo = field(page.body(), "inReplyTo");

        assertThat(browser.post(conversation, "csrf=" + csrf + "&subject=Re%3A+Frage&text=", cookie).body())
                .contains("Please write a subject and a message.");
        assertThat(browser.post(conversation, "subject=x&text=y", cookie).statusCode()).isEqualTo(403);
        HttpResponse<String> sent = browser.post(conversation, "csrf=" + csrf + "&subject=Re%3A+Frage&inReplyTo="
                + java.net.URLEncoder.encode(inReplyTo, StandardCharsets.UTF_8)
                + "&text=Morgen+kommt+er.%0D%0AGr%C3%BC%C3%9Fe%2C+Weinhandel+Berg", cookie);
        assertThat(sent.statusCode()).isEqualTo(303);
        assertThat(sent.headers().firstValue("Location")).hasValue("/console/c/" + buyerAlias + "?sent=1");

        // the buyer gets it as any seller mail: from the seller's alias, threaded to the buyer's own message
        assertThat(smarthost.waitForIncomingEmail(15_000, 2)).isTrue();
        jakarta.mail.internet.MimeMessage reply = smarthost.getReceivedMessages()[1];
        assertThat(((jakarta.mail.internet.InternetAddress) reply.getAllRecipients()[0]).getAddress()).isEqualTo(BUYER);
        assertThat(((jakarta.mail.internet.InternetAddress) reply.getFrom()[0]).getAddress()).isEqualTo(sellerAlias);
        assertThat(reply.getSubject()).isEqualTo("Re: Frage");
        assertThat(reply.getHeader("In-Reply-To", null)).isEqualTo("<q1@buyer-example.de>");
        assertThat(reply.getHeader("List-Unsubscribe", null)).isNotNull();
        assertThat(((String) reply.getContent())).contains("Morgen kommt er.\r\nGrüße, Weinhandel Berg");
        org.postfach.testing.Privacy.assertNoRealAddress(reply, "versand@weinhandel-example.de");

        assertThat(browser.get(PUBLIC_URL + "/console/", cookie, "en").body())
                .contains("No buyer message awaits a response.");
        String after = browser.get(conversation + "?sent=1", cookie, "en").body();
        assertThat(after).contains("Your reply was sent.").contains("Morgen kommt er.");
        assertThat(after.indexOf("Wann kommt")).isLessThan(after.indexOf("Morgen kommt"));

        // another seller's alias is nobody's to this seller
        String foreign = api.order("302-7777777-7777777", "s2", "b1", null);
        assertThat(browser.get(PUBLIC_URL + "/console/c/" + foreign, cookie, "en").statusCode()).isEqualTo(404);
    }

    @Test
    void aBuyerMessageIsMarkedOrReportedFromTheConversation() throws Exception {
        buyerWrites(sellerAlias, "Erste Frage");
        buyerWrites(sellerAlias, "Werbung für etwas anderes");
        buyerWrites(otherSellerAlias, "An den Buchladen");
        String cookie = signIn("s1");
        String conversation = PUBLIC_URL + "/console/c/" + buyerAlias;
        String page = browser.get(conversation, cookie, "de").body();
        assertThat(page).contains("<button type=\"submit\" class=\"secondary\">Keine Antwort erforderlich</button>")
                .contains("<button type=\"submit\" class=\"secondary\">Melden</button>");
        String csrf = field(page, "csrf");
        List<Long> ids = new java.util.ArrayList<>();
        Matcher m = Pattern.compile("name=\"message\" value=\"(\\d+)\"").matcher(page);
        while (m.find()) {
            ids.add(Long.parseLong(m.group(1)));
        }
        long first = ids.get(0);
        long second = ids.get(ids.size() - 1);
        assertThat(first).isNotEqualTo(second);

        assertThat(browser.post(conversation, "action=no-response&message=" + first, cookie).statusCode())
                .as("without the form's token").isEqualTo(403);
        HttpResponse<String> marked = browser.post(conversation, "csrf=" + csrf + "&action=no-response&message=" + first,
                cookie);
        assertThat(marked.statusCode()).isEqualTo(303);
        assertThat(api.ok("GET", "/api/messages/" + first, null).get("noResponseNeeded").asBoolean()).isTrue();
        assertThat(api.ok("GET", "/api/messages/" + second, null).get("responseRequired").asBoolean()).isTrue();
        assertThat(browser.get(PUBLIC_URL + marked.headers().firstValue("Location").orElseThrow(), cookie, "en").body())
                .contains("Marked: this message needs no response.");

        assertThat(browser.post(conversation, "csrf=" + csrf + "&action=report&message=" + second + "&reason=inappropriate",
                cookie).statusCode()).isEqualTo(303);
        JsonNode reports = api.ok("GET", "/api/reports", null).get("items");
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).get("messageId").asLong()).isEqualTo(second);
        assertThat(reports.get(0).get("reason").asText()).isEqualTo("inappropriate");

        // another seller's message, through this conversation: nobody's
        long foreign = api.ok("GET", "/api/messages?sellerId=s2", null).get("items").get(0).get("id").asLong();
        assertThat(browser.post(conversation, "csrf=" + csrf + "&action=no-response&message=" + foreign, cookie)
                .statusCode()).isEqualTo(404);
        assertThat(api.ok("GET", "/api/messages/" + foreign, null).get("responseRequired").asBoolean()).isTrue();
        assertThat(browser.post(conversation, "csrf=" + csrf + "&action=report&message=" + second + "&reason=bad",
                cookie).statusCode()).isEqualTo(400);
    }

    @Test
    void aSellerSignsInWithAddressAndPasswordAndFailuresAreLimitedPerAddress() throws Exception {
        String password = api.ok("POST", "/api/sellers/s1/credentials", null).get("password").asText();
        String signin = PUBLIC_URL + "/console/signin";
        HttpResponse<String> form = browser.get(signin, null, "en");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("autocomplete=\"current-password\"").contains("<label for=\"password\">");
        String setCookie = form.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("postfach_signin=").contains("; HttpOnly").contains("; SameSite=Strict");
        String formCookie = setCookie.substring(0, setCookie.indexOf(';'));
        String token = field(form.body(), "form");

        // without the form's cookie (a page elsewhere posting it): refused
        assertThat(browser.post(signin, "form=" + token + "&address=versand%40weinhandel-example.de&password="
                + password, null).statusCode()).isEqualTo(403);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> wrong = browser.post(signin, "form=" + token
                    + "&address=versand%40weinhandel-example.de&password=wrong" + i, formCookie);
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("The address or the password is wrong.");
        }
        HttpResponse<String> held = browser.post(signin, "form=" + token
                + "&address=VERSAND%40weinhandel-example.de&password=" + password, formCookie);
        assertThat(held.statusCode()).as("the right password waits, too").isEqualTo(429);
        assertThat(held.headers().firstValue("Set-Cookie")).isEmpty();

        clock.advance(Duration.ofMinutes(15));
        HttpResponse<String> ok = browser.post(signin, "form=" + token + "&address=versand%40weinhandel-example.de&password="
                + password, formCookie);
        assertThat(ok.statusCode()).isEqualTo(303);
        String session = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(session).startsWith("postfach_console=");
        assertThat(browser.get(PUBLIC_URL + "/console/", session.substring(0, session.indexOf(';')), "en").body())
                .contains("Weinhandel Berg");
    }

    @Test
    void theViewsAndTheSearchShowOnlyWhatTheyNameOfThisSeller() throws Exception {
        buyerWrites(sellerAlias, "Frage zu 302-2222222-2222222");
        sellerWrites("Versandbestätigung");
        api.ok("PATCH", "/api/buyers/b1", "{\"optedOut\":true}");
        sellerWrites("Sonderangebot");
        buyerWrites(sellerAlias, "Kaufen Sie billige Uhren");
        buyerWrites(otherSellerAlias, "An den Buchladen");
        long spam = api.ok("GET", "/api/messages?sellerId=s1&q=Uhren", null).get("items").get(0).get("id").asLong();
        api.ok("POST", "/api/messages/" + spam + "/report", "{\"reason\":\"spam\"}");
        String cookie = signIn("s1");
        String console = PUBLIC_URL + "/console/";

        String sent = browser.get(console + "?view=sent", cookie, "en").body();
        assertThat(sent).contains("<h1>Sent</h1>").contains("Versandbestätigung").contains("Sonderangebot")
                .doesNotContain("Frage zu").doesNotContain("Uhren");
        String blocked = browser.get(console + "?view=blocked", cookie, "en").body();
        assertThat(blocked).contains("Sonderangebot").contains("Blocked (opt-out)").doesNotContain("Versandbestätigung");
        String reported = browser.get(console + "?view=reported", cookie, "en").body();
        assertThat(reported).contains("Kaufen Sie billige Uhren").doesNotContain("Frage zu");
        String byOrder = browser.get(console + "?view=all&order=302-2222222-2222222", cookie, "en").body();
        assertThat(byOrder).contains("Frage zu 302-2222222-2222222").doesNotContain("Uhren").doesNotContain("Sonderangebot");
        String all = browser.get(console + "?view=all&alias=" + buyerAlias, cookie, "de").body();
        assertThat(all).contains("<h1>Alle</h1>").contains("Frage zu").contains("Versandbestätigung").contains("Uhren")
                .doesNotContain("An den Buchladen");
        assertThat(browser.get(console + "?view=all&until=2026-12-06", cookie, "en").body()).contains("No message found.");
        assertThat(browser.get(console + "?view=all&since=2026-12-07&until=2026-12-07", cookie, "en").body())
                .contains("Versandbestätigung");
        assertThat(browser.get(console + "?view=nonsense", cookie, "en").body()).contains("<h1>Awaiting response</h1>");

        // a keyword is looked for in what the seller got: a buyer's number removed from the text is not found by it
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO buyer-example.de");
            assertThat(s.mail(BUYER, sellerAlias, ("From: " + BUYER + "\r\nSubject: Lieferung\r\n\r\n"
                    + "Bitte rufen Sie mich an: 0171 2345678, wegen der Weinlieferung.\r\n")
                    .getBytes(StandardCharsets.UTF_8))).startsWith("250");
        }
        assertThat(api.ok("GET", "/api/messages?sellerId=s1&q=2345678", null).get("items")).as("the archive has it")
                .hasSize(1);
        assertThat(browser.get(console + "?view=all&q=2345678", cookie, "en").body()).contains("No message found.");
        assertThat(browser.get(console + "?view=all&q=0171", cookie, "en").body()).contains("No message found.");
        assertThat(browser.get(console + "?view=all&q=WEINLIEFERUNG", cookie, "en").body()).contains("Lieferung</td>");
        assertThat(browser.get(console + "?view=all&q=uhren", cookie, "en").body()).contains("Kaufen Sie billige Uhren")
                .doesNotContain("Versandbestätigung");
    }

    void sellerWrites(String subject) throws Exception {
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO weinhandel-example.de");
            assertThat(s.mail("versand@weinhandel-example.de", buyerAlias, ("From: versand@weinhandel-example.de\r\n"
                    + "Subject: " + subject + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                    + "Hallo\r\n").getBytes(StandardCharsets.UTF_8))).startsWith("250");
        }
    }

    @Test
    void theSettingsChangeWhatTheApiShowsAndANewPasswordIsShownOnce() throws Exception {
        String cookie = signIn("s1");
        String settings = PUBLIC_URL + "/console/settings";
        HttpResponse<String> page = browser.get(settings, cookie, "en");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Settings</h1>").contains("id=\"notices\" name=\"notices\" value=\"on\" checked")
                .contains("blocked messages go unnoticed").contains("versand@weinhandel-example.de (registered address)")
                .contains("value=\"service@weinhandel-example.de\"").contains("0 / 600");
        String csrf = field(page.body(), "csrf");
        assertThat(browser.post(settings, "action=notices", cookie).statusCode()).isEqualTo(403);

        assertThat(browser.post(settings, "csrf=" + csrf + "&action=notices", cookie).body()).contains("Saved.");
        assertThat(api.ok("GET", "/api/sellers/s1", null).get("bounceNotices").asBoolean()).isFalse();
        browser.post(settings, "csrf=" + csrf + "&action=addAddress&address=team%40weinhandel-example.de", cookie);
        assertThat(api.ok("GET", "/api/sellers/s1", null).get("addresses").toString()).contains("team@weinhandel-example.de");
        browser.post(settings, "csrf=" + csrf + "&action=removeAddress&address=team%40weinhandel-example.de", cookie);
        assertThat(api.ok("GET", "/api/sellers/s1", null).get("addresses").toString()).doesNotContain("team@");
        HttpResponse<String> registered = browser.post(settings, "csrf=" + csrf
                + "&action=removeAddress&address=versand%40weinhandel-example.de", cookie);
        assertThat(registered.statusCode()).isEqualTo(400);
        assertThat(registered.body()).contains("Your registered address stays.");
        assertThat(browser.post(settings, "csrf=" + csrf + "&action=addAddress&address=info%40buchladen-example.de",
                cookie).body()).contains("registered elsewhere");
        assertThat(browser.post(settings, "csrf=" + csrf + "&action=addAddress&address=not+an+address", cookie)
                .statusCode()).isEqualTo(400);
        browser.post(settings, "csrf=" + csrf + "&action=customerService&address=hilfe%40weinhandel-example.de", cookie);
        assertThat(api.ok("GET", "/api/sellers/s1", null).get("customerServiceEmail").asText())
                .isEqualTo("hilfe@weinhandel-example.de");

        String issued = browser.post(settings, "csrf=" + csrf + "&action=password", cookie).body();
        Matcher m = Pattern.compile("class=\"password\">([a-z0-9]{24})<").matcher(issued);
        assertThat(m.find()).isTrue();
        assertThat(browser.get(settings, cookie, "en").body()).doesNotContain(m.group(1));
        // and it is the seller's password now: the console's own sign-in takes it
        HttpResponse<String> form = browser.get(PUBLIC_URL + "/console/signin", null, "en");
        String formCookie = form.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertThat(browser.post(PUBLIC_URL + "/console/signin", "form=" + field(form.body(), "form")
                + "&address=versand%40weinhandel-example.de&password=" + m.group(1), formCookie).statusCode()).isEqualTo(303);
    }

    @Test
    void aSellerWritesByOrderNumberAndTheAdditionalInformationSubjectPassesAnOptOut() throws Exception {
        api.ok("PATCH", "/api/buyers/b1", "{\"optedOut\":true}");
        String cookie = signIn("s1");
        HttpResponse<String> unknown = browser.get(PUBLIC_URL + "/console/write?to=302-0000000-0000000", cookie, "en");
        assertThat(unknown.headers().firstValue("Location")).hasValue("/console/?unknown=1");
        assertThat(browser.get(PUBLIC_URL + "/console/?unknown=1", cookie, "en").body())
                .contains("neither one of your buyer aliases nor one of your order numbers");
        HttpResponse<String> write = browser.get(PUBLIC_URL + "/console/write?to=302-2222222-2222222", cookie, "en");
        assertThat(write.headers().firstValue("Location")).hasValue("/console/c/" + buyerAlias);
        String conversation = PUBLIC_URL + "/console/c/" + buyerAlias;
        String page = browser.get(conversation, cookie, "de").body();
        assertThat(page).contains("Noch keine Nachrichten.").contains("Zusätzliche Informationen erforderlich");
        String csrf = field(page, "csrf");

        // plain advertising is blocked by the buyer's opt-out; the chosen subject passes it
        assertThat(browser.post(conversation, "csrf=" + csrf + "&subject=Neue+Weine&text=Angebot", cookie).statusCode())
                .isEqualTo(303);
        assertThat(browser.post(conversation, "csrf=" + csrf + "&lang=de&additional=on&subject=egal"
                + "&text=Bitte+best%C3%A4tigen+Sie+die+Lieferadresse.", cookie).statusCode()).isEqualTo(303);
        assertThat(smarthost.waitForIncomingEmail(15_000, 2)).isTrue(); // the notice about the blocked one, and this
        List<String> toBuyer = new java.util.ArrayList<>();
        for (jakarta.mail.internet.MimeMessage m : smarthost.getReceivedMessages()) {
            if (((jakarta.mail.internet.InternetAddress) m.getAllRecipients()[0]).getAddress().equals(BUYER)) {
                toBuyer.add(m.getSubject());
            }
        }
        assertThat(toBuyer).containsExactly("Zusätzliche Informationen erforderlich");
        String after = browser.get(conversation, cookie, "en").body();
        assertThat(after).contains("Neue Weine").contains("Not delivered: opt-out")
                .contains("Zusätzliche Informationen erforderlich");
    }

    @Test
    void anAttachmentIsADownloadForItsSellerOnly() throws Exception {
        byte[] pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
                .getBytes(StandardCharsets.US_ASCII);
        String message = "From: " + BUYER + "\r\nSubject: Rechnung\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n"
                + "--m\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nAnbei die Rechnung.\r\n"
                + "--m\r\nContent-Type: application/pdf; name=\"rechnung.pdf\"\r\n"
                + "Content-Disposition: attachment; filename=\"rechnung.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + java.util.Base64.getMimeEncoder().encodeToString(pdf) + "\r\n--m--\r\n";
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO buyer-example.de");
            assertThat(s.mail(BUYER, sellerAlias, message.getBytes(StandardCharsets.UTF_8))).startsWith("250");
        }
        String cookie = signIn("s1");
        assertThat(browser.get(PUBLIC_URL + "/console/", cookie, "en").body())
                .contains("<span role=\"img\" aria-label=\"with attachments\">📎</span> Rechnung");
        assertThat(api.ok("GET", "/api/messages?sellerId=s1", null).get("items").get(0).get("attachments").asInt())
                .isEqualTo(1);
        String page = browser.get(PUBLIC_URL + "/console/c/" + buyerAlias, cookie, "en").body();
        Matcher link = Pattern.compile("href=\"(/console/c/[^\"]+/a/\\d+/0)\" download>rechnung.pdf<").matcher(page);
        assertThat(link.find()).as(page).isTrue();
        HttpResponse<byte[]> file = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                browser.local(PUBLIC_URL + link.group(1))).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(pdf);
        assertThat(file.headers().firstValue("Content-Disposition")).get().asString()
                .startsWith("attachment; filename=\"rechnung.pdf\"");
        assertThat(file.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(browser.get(PUBLIC_URL + link.group(1).replaceAll("/0$", "/1"), cookie, "en").statusCode()).isEqualTo(404);
        assertThat(browser.get(PUBLIC_URL + link.group(1), signIn("s2"), "en").statusCode()).isEqualTo(404);
        assertThat(browser.get(PUBLIC_URL + link.group(1), null, "en").statusCode()).isEqualTo(303);
    }

    @Test
    void aReplyCarriesAttachmentsAsThePolicyAllowsThem() throws Exception {
        buyerWrites(sellerAlias, "Rechnung bitte");
        assertThat(smarthost.waitForIncomingEmail(15_000, 1)).isTrue();
        String cookie = signIn("s1");
        String conversation = PUBLIC_URL + "/console/c/" + buyerAlias;
        String page = browser.get(conversation, cookie, "en").body();
        assertThat(page).contains("enctype=\"multipart/form-data\"").contains("type=\"file\"");
        String csrf = field(page, "csrf");
        byte[] pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] exe = {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, (byte) 0xff, (byte) 0xff};

        HttpResponse<String> refused = multipart(conversation, cookie, csrf, "programm.exe", exe);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("The reply was not sent:").contains("programm.exe");

        HttpResponse<String> sent = multipart(conversation, cookie, csrf, "C:\\Users\\x\\rechnung.pdf", pdf);
        assertThat(sent.statusCode()).isEqualTo(303);
        assertThat(smarthost.waitForIncomingEmail(15_000, 2)).isTrue();
        jakarta.mail.internet.MimeMessage reply = smarthost.getReceivedMessages()[1];
        jakarta.mail.Multipart parts = (jakarta.mail.Multipart) reply.getContent();
        assertThat((String) parts.getBodyPart(0).getContent()).contains("Anbei die Rechnung.");
        assertThat(parts.getBodyPart(1).getFileName()).isEqualTo("rechnung.pdf");
        assertThat(parts.getBodyPart(1).getInputStream().readAllBytes()).isEqualTo(pdf);
        assertThat(smarthost.getReceivedMessages()).hasSize(2); // the refused one went nowhere
    }

    @Test
    void aBuyersHtmlIsShownSanitizedWithNothingLoaded() throws Exception {
        String html = "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
                + "<p>Hallo, <b>wann</b> kommt <i>der Wein</i>?</p><img src=\"https://tracker.example/p.gif\">"
                + "<p onclick=\"steal()\">Tel. 0171 2345678</p><iframe src=\"https://evil.example\"></iframe></body></html>";
        String message = "From: " + BUYER + "\r\nSubject: HTML\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/alternative; boundary=\"a\"\r\n\r\n"
                + "--a\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nHallo, wann kommt der Wein?\r\n"
                + "--a\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n" + html + "\r\n--a--\r\n";
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO buyer-example.de");
            assertThat(s.mail(BUYER, sellerAlias, message.getBytes(StandardCharsets.UTF_8))).startsWith("250");
        }
        String page = browser.get(PUBLIC_URL + "/console/c/" + buyerAlias, signIn("s1"), "en").body();
        String shown = page.substring(page.indexOf("<div class=\"html\">"), page.indexOf("</article>"));
        assertThat(shown).contains("<b>wann</b>").contains("<i>der Wein</i>").contains("Tel. [removed]")
                .doesNotContain("<script").doesNotContain("alert(1)").doesNotContain("<img").doesNotContain("tracker")
                .doesNotContain("onclick").doesNotContain("<iframe").doesNotContain("<style").doesNotContain("/action/")
                .doesNotContain("2345678");
    }

    HttpResponse<String> multipart(String url, String cookie, String csrf, String fileName, byte[] content)
            throws Exception {
        String boundary = "----postfach-test-boundary";
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (String[] f : new String[][] {{"csrf", csrf}, {"lang", "en"}, {"subject", "Re: Rechnung"},
                {"text", "Anbei die Rechnung."}}) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f[0] + "\"\r\n\r\n" + f[1]
                    + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\""
                + fileName.replace("\\", "\\\\") + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(browser.local(url))
                .header("Cookie", cookie).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET sent as it is (java.net.URI refuses malformed percent-encoding): the status code. */
    int rawStatus(String path, String cookie) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", relay.apiPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nCookie: " + cookie
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    String signIn(String sellerId) throws Exception {
        String url = api.ok("POST", "/api/sellers/" + sellerId + "/console-link", null).get("url").asText();
        String setCookie = browser.post(url, "", null).headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&#64;", "@").replace("&amp;", "&");
    }

    void buyerWrites(String sellerAlias, String subject) throws Exception {
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO buyer-example.de");
            assertThat(s.mail(BUYER, sellerAlias, ("From: " + BUYER + "\r\nSubject: " + subject
                    + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nHallo\r\n")
                    .getBytes(StandardCharsets.UTF_8))).startsWith("250");
        }
    }
}
