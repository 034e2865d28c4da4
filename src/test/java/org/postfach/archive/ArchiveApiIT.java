package org.postfach.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Relay;
import org.postfach.testing.Api;
import org.postfach.testing.MutableClock;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/** SPEC §8, §9: the archive routes, each success and each error status, with a clock the test moves. */
class ArchiveApiIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static final String SELLER = "versand@shop-example.de";
    static final String BUYER = "erika@buyer-example.de";
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T08:00:00Z"));

    @TempDir
    Path dir;
    Relay relay;
    Api api;
    String sellerAlias;
    String buyerAlias;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, smarthost.getSmtp().getPort(), Map.of("POSTFACH_RETENTION_DAYS", "30"), clock);
        api = TestRelay.api(relay);
        sellerAlias = api.seller("s1", "Shop", SELLER, "service@shop-example.de");
        api.buyer("b1", "Erika", BUYER);
        buyerAlias = api.order("302-1111111-1111111", "s1", "b1", null);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    void send(String from, String to, String subject, String body) throws Exception {
        try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort())) {
            s.send("EHLO client.example");
            SmtpDialogue.expect(s.mail(from, to, ("From: " + from + "\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n")
                    .getBytes(StandardCharsets.UTF_8)), "250");
        }
    }

    /** Buyer asks at 08:00, seller answers at 10:00, buyer asks again at 11:00; then 25 h pass. */
    void conversation() throws Exception {
        send(BUYER, sellerAlias, "Frage zur Lieferung", "Wann kommt das Rotweinpaket?");
        clock.advance(Duration.ofHours(2));
        send(SELLER, buyerAlias, "Re: Frage zur Lieferung", "Morgen.");
        clock.advance(Duration.ofHours(1));
        send(BUYER, sellerAlias, "Noch eine Frage", "Kann ich die Adresse ändern?");
        clock.advance(Duration.ofHours(25));
    }

    long id(JsonNode item) {
        return item.get("id").asLong();
    }

    @Test
    void searchIsNewestFirstPagedAndFiltered() throws Exception {
        conversation();
        JsonNode all = api.ok("GET", "/api/messages?sellerId=s1", null);
        assertThat(all.get("items")).hasSize(3);
        assertThat(all.get("items").get(0).get("subject").asText()).isEqualTo("Noch eine Frage");
        JsonNode first = api.ok("GET", "/api/messages?sellerId=s1&limit=2", null);
        assertThat(first.get("items")).hasSize(2);
        JsonNode second = api.ok("GET", "/api/messages?sellerId=s1&limit=2&cursor=" + first.get("nextCursor").asText(), null);
        assertThat(second.get("items")).hasSize(1);
        assertThat(second.get("nextCursor").isNull()).isTrue();
        assertThat(id(second.get("items").get(0))).isLessThan(id(first.get("items").get(1)));
        assertThat(api.ok("GET", "/api/messages?q=rotweinpaket", null).get("items")).hasSize(1);
        assertThat(api.ok("GET", "/api/messages?responseRequired=true", null).get("items")).hasSize(1);
        assertThat(api.ok("GET", "/api/messages?alias=" + buyerAlias, null).get("items")).hasSize(3);
        assertThat(api.ok("GET", "/api/messages?since=2026-11-20T09:00:00Z&until=2026-11-20T10:30:00Z", null)
                .get("items")).hasSize(1);
        assertThat(api.ok("GET", "/api/messages?status=blocked", null).get("items")).isEmpty();
        for (String bad : new String[] {"status=bogus", "limit=0", "limit=100000", "since=yesterday",
                "responseRequired=maybe", "cursor=abc", "q="}) {
            Api.Response r = api.call("GET", "/api/messages?" + bad, null);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.text("error")).isNotBlank();
        }
    }

    /**
     * SPEC §8 "found by order number": a message that names an order of its pair (SPEC §4, in the subject or the
     * body, standing alone) is archived with that order and found by it; one that names none, or another pair's
     * order, is not.
     */
    @Test
    void messagesAreFoundByTheOrderTheyName() throws Exception {
        api.order("302-2222222-2222222", "s1", "b1", null);
        api.buyer("b2", "Max", "max@buyer-example.de");
        String otherAlias = api.order("302-3333333-3333333", "s1", "b2", null);
        send(SELLER, buyerAlias, "Ihre Bestellung 302-1111111-1111111", "Versendet.");
        send(BUYER, sellerAlias, "Frage", "Zu Bestellung 302-2222222-2222222: wann?");
        send(SELLER, buyerAlias, "Allgemein", "Nichts zu 1302-1111111-1111111 oder 302-3333333-3333333.");
        send(SELLER, otherAlias, "Ihre Bestellung 302-3333333-3333333", "Versendet.");

        JsonNode first = api.ok("GET", "/api/messages?orderId=302-1111111-1111111", null).get("items");
        assertThat(first).hasSize(1);
        assertThat(first.get(0).get("subject").asText()).isEqualTo("Ihre Bestellung 302-1111111-1111111");
        assertThat(first.get(0).get("orderId").asText()).isEqualTo("302-1111111-1111111");
        JsonNode second = api.ok("GET", "/api/messages?orderId=302-2222222-2222222", null).get("items");
        assertThat(second).hasSize(1);
        assertThat(second.get(0).get("route").asText()).isEqualTo("buyer-to-seller");
        JsonNode third = api.ok("GET", "/api/messages?orderId=302-3333333-3333333", null).get("items");
        assertThat(third).as("only the pair's own order ties").hasSize(1);
        assertThat(third.get(0).get("alias").asText()).isEqualTo(otherAlias);
        JsonNode untied = api.ok("GET", "/api/messages?sellerId=s1&q=nichts", null).get("items");
        assertThat(untied).hasSize(1);
        assertThat(untied.get(0).get("orderId").isNull()).isTrue();
    }

    @Test
    void oneMessageItsRawFormsHoldNoResponseNeededAndReports() throws Exception {
        conversation();
        JsonNode items = api.ok("GET", "/api/messages?sellerId=s1", null).get("items");
        long waiting = id(items.get(0));
        long answer = id(items.get(1));
        JsonNode m = api.ok("GET", "/api/messages/" + waiting, null);
        assertThat(m.get("route").asText()).isEqualTo("buyer-to-seller");
        assertThat(m.get("responseRequired").asBoolean()).isTrue();
        assertThat(m.get("events")).isEmpty();
        assertThat(api.call("GET", "/api/messages/999999", null).status()).isEqualTo(404);
        assertThat(api.call("GET", "/api/messages/abc", null).status()).isEqualTo(404);

        Api.Response raw = api.call("GET", "/api/messages/" + waiting + "/raw?form=original", null);
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.body()).contains("Kann ich die Adresse").contains("From: " + BUYER);
        assertThat(api.call("GET", "/api/messages/" + waiting + "/raw?form=delivered", null).body())
                .doesNotContain(BUYER);
        assertThat(api.call("GET", "/api/messages/" + waiting + "/raw?form=bogus", null).status()).isEqualTo(400);
        assertThat(api.call("GET", "/api/messages/999999/raw", null).status()).isEqualTo(404);

        assertThat(api.ok("PATCH", "/api/messages/" + waiting, "{\"legalHold\":true}").get("legalHold").asBoolean())
                .isTrue();
        assertThat(api.call("PATCH", "/api/messages/" + waiting, "{}").status()).isEqualTo(400);
        assertThat(api.call("PATCH", "/api/messages/" + waiting, "{\"legalHold\":true,\"x\":1}").status()).isEqualTo(400);
        assertThat(api.call("PATCH", "/api/messages/999999", "{\"legalHold\":true}").status()).isEqualTo(404);

        assertThat(api.ok("POST", "/api/messages/" + waiting + "/no-response-needed", null)
                .get("responseRequired").asBoolean()).isFalse();
        assertThat(api.call("POST", "/api/messages/" + answer + "/no-response-needed", null).status()).isEqualTo(409);
        assertThat(api.call("POST", "/api/messages/999999/no-response-needed", null).status()).isEqualTo(404);

        Api.Response report = api.call("POST", "/api/messages/" + answer + "/report", "{\"reason\":\"spam\",\"note\":\"x\"}");
        assertThat(report.status()).isEqualTo(201);
        api.ok("POST", "/api/messages/" + waiting + "/report", "{\"reason\":\"other\"}");
        assertThat(api.call("POST", "/api/messages/" + answer + "/report", "{\"reason\":\"rude\"}").status()).isEqualTo(400);
        assertThat(api.call("POST", "/api/messages/" + answer + "/report", "{}").status()).isEqualTo(400);
        assertThat(api.call("POST", "/api/messages/999999/report", "{\"reason\":\"spam\"}").status()).isEqualTo(404);
        JsonNode reports = api.ok("GET", "/api/reports", null).get("items");
        assertThat(reports).hasSize(2);
        assertThat(reports.get(0).get("reason").asText()).isEqualTo("other"); // newest first
        assertThat(api.call("GET", "/api/reports?limit=-1", null).status()).isEqualTo(400);
    }

    @Test
    void statsMeasureResponseTimesWithTheClock() throws Exception {
        conversation();
        JsonNode s = api.ok("GET", "/api/sellers/s1/stats", null);
        assertThat(s.get("awaitingResponse").asLong()).isEqualTo(1);
        assertThat(s.get("averageResponseSeconds").asLong()).isEqualTo(7200);
        // one answered within 24 h, one waiting for more than 24 h
        assertThat(s.get("answeredWithin24h").asDouble()).isEqualTo(0.5);
        assertThat(s.get("dailyLimit").asInt()).isEqualTo(600);
        assertThat(s.get("sentToday").asInt()).isZero(); // the seller's answer was yesterday (UTC)
        assertThat(s.get("blocked").asLong()).isZero();
        assertThat(api.call("GET", "/api/sellers/nobody/stats", null).status()).isEqualTo(404);
    }

    @Test
    void credentialsAreShownOnceAndStoredAsAHash() {
        Api.Response r = api.call("POST", "/api/sellers/s1/credentials", null);
        assertThat(r.status()).isEqualTo(201);
        String password = r.text("password");
        assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        assertThat(r.text("username")).isEqualTo(SELLER);
        assertThat(relay.directory().checkPassword("s1", password)).isTrue();
        assertThat(relay.directory().checkPassword("s1", password + "x")).isFalse();
        String second = api.call("POST", "/api/sellers/s1/credentials", null).text("password");
        assertThat(relay.directory().checkPassword("s1", password)).as("the old one stops working").isFalse();
        assertThat(relay.directory().checkPassword("s1", second)).isTrue();
        assertThat(api.call("POST", "/api/sellers/nobody/credentials", null).status()).isEqualTo(404);
    }

    @Test
    void retentionPurgesOldMessagesExceptHeldOnesAndTheChainStillVerifies() throws Exception {
        conversation();
        JsonNode items = api.ok("GET", "/api/messages?sellerId=s1", null).get("items");
        long held = id(items.get(2));
        api.ok("PATCH", "/api/messages/" + held, "{\"legalHold\":true}");
        assertThat(api.ok("GET", "/api/messages?q=adresse", null).get("items")).hasSize(1);
        clock.advance(Duration.ofDays(31));
        send(BUYER, sellerAlias, "Neu", "Nach einem Monat");
        assertThat(relay.archive().purge()).isEqualTo(2);
        JsonNode after = api.ok("GET", "/api/messages?sellerId=s1", null).get("items");
        assertThat(after).hasSize(4);
        long purged = id(after.get(1));
        assertThat(after.get(1).get("purgedAt").isNull()).isFalse();
        assertThat(after.get(1).get("subject").isNull()).isTrue();
        assertThat(api.call("GET", "/api/messages/" + purged + "/raw", null).status()).isEqualTo(404);
        assertThat(api.call("GET", "/api/messages/" + held + "/raw", null).status()).isEqualTo(200);
        assertThat(after.get(0).get("purgedAt").isNull()).isTrue();
        assertThat(api.ok("GET", "/api/messages?q=adresse", null).get("items")).as("purged text").isEmpty();
        assertThat(api.ok("GET", "/api/messages?q=rotweinpaket", null).get("items")).as("held text").hasSize(1);
    }
}
