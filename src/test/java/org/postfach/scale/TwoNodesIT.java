package org.postfach.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postfach.testing.Race.race;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Relay;
import org.postfach.store.Database;
import org.postfach.testing.Api;
import org.postfach.testing.Postgres;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/**
 * Scale-out (ARCHITECTURE "Storage and durability"): two relays on one PostgreSQL database share the queue and
 * the daily limit. Every accepted message is delivered exactly once whichever node's workers lease it, and the
 * seller's limit holds across both nodes: exactly {@code LIMIT} accepted, every other one refused 450 4.7.1.
 */
class TwoNodesIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static final String SELLER = "versand@weinhandel-example.de";
    static final String BUYER = "erika.private@buyer-example.de";
    static final int MESSAGES = 500;
    static final int LIMIT = 300;
    static final int THREADS = 10;

    @TempDir
    Path dir;
    final List<Relay> relays = new ArrayList<>();

    @AfterEach
    void stop() {
        relays.forEach(Relay::close);
    }

    @Test
    void twoNodesDeliverEachMessageOnceAndShareTheDailyLimit() throws Exception {
        String url = Postgres.freshDatabase();
        Map<String, String> env = Map.of("POSTFACH_STORAGE_URL", url,
                "POSTFACH_POLICY_DAILYLIMIT_BASE", Integer.toString(LIMIT));
        int smtpPort = smarthost.getSmtp().getPort();
        relays.add(TestRelay.start(dir.resolve("node1"), smtpPort, env));
        relays.add(TestRelay.start(dir.resolve("node2"), smtpPort, env));
        Api api = TestRelay.api(relays.get(0));
        api.seller("s1", "Weinhandel Berg", SELLER, "service@weinhandel-example.de");
        api.buyer("b1", "Erika Muster", BUYER);
        String buyerAlias = api.order("302-2222222-2222222", "s1", "b1", "wine");
        // node 2 sees node 1's registrations: the directory is the shared database
        assertThat(TestRelay.api(relays.get(1)).ok("GET", "/api/aliases/" + buyerAlias, null).toString()).contains("s1");

        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Map<String, String> refused = new ConcurrentHashMap<>();
        race(THREADS, thread -> {
            for (int i = thread; i < MESSAGES; i += THREADS) {
                String subject = "Nachricht " + i;
                String reply = send(relays.get(i % 2).smtpPort(), buyerAlias, subject);
                if (reply.startsWith("250 2.0.0")) {
                    accepted.add(subject);
                } else {
                    refused.put(subject, reply);
                }
            }
            return null;
        });

        assertThat(accepted).hasSize(LIMIT);
        assertThat(refused).hasSize(MESSAGES - LIMIT);
        assertThat(refused.values()).allSatisfy(r -> assertThat(r).startsWith("450 4.7.1 "));
        // both nodes accepted some: the limit is shared, not per node
        assertThat(accepted.stream().map(s -> Integer.parseInt(s.substring(10)) % 2).distinct()).hasSize(2);

        // every queue entry reached DELIVERED, then GreenMail holds each accepted subject exactly once
        try (Database db = Database.open(url, 2)) {
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                    db.jdbc().one("SELECT COUNT(*) FROM outbound_queue WHERE state = 'DELIVERED'", rs -> rs.getInt(1))
                            .orElse(0) == LIMIT);
            assertThat(db.jdbc().one("SELECT COUNT(*) FROM outbound_queue", rs -> rs.getInt(1))).contains(LIMIT);
            assertThat(db.jdbc().one("SELECT MAX(attempts) FROM outbound_queue", rs -> rs.getInt(1))).contains(1);
            assertThat(db.jdbc().list("SELECT DISTINCT lease_owner FROM outbound_queue", rs -> rs.getString(1)))
                    .containsOnlyNulls();
            assertThat(db.jdbc().one("SELECT sent FROM daily_counts WHERE seller_id = 's1'", rs -> rs.getInt(1)))
                    .contains(LIMIT);
        }
        assertThat(smarthost.waitForIncomingEmail(30_000, LIMIT)).isTrue();
        Map<String, Long> bySubject = new HashMap<>();
        for (MimeMessage m : smarthost.getReceivedMessages()) {
            bySubject.merge(m.getSubject(), 1L, Long::sum);
        }
        assertThat(bySubject.keySet()).isEqualTo(accepted);
        assertThat(bySubject.entrySet().stream().filter(e -> e.getValue() != 1).collect(Collectors.toList()))
                .as("delivered more than once").isEmpty();
    }

    /** One session per message; the refusal comes at RCPT, or at the end of DATA when another node won the race. */
    static String send(int port, String to, String subject) throws Exception {
        byte[] message = ("From: " + SELLER + "\r\nTo: someone\r\nSubject: " + subject
                + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nText " + subject + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
        try (SmtpDialogue s = new SmtpDialogue(port)) {
            SmtpDialogue.expect(s.send("EHLO shop.example"), "250");
            SmtpDialogue.expect(s.send("MAIL FROM:<" + SELLER + ">"), "250");
            String rcpt = s.send("RCPT TO:<" + to + ">");
            if (!rcpt.startsWith("250")) {
                return rcpt;
            }
            SmtpDialogue.expect(s.send("DATA"), "354");
            s.raw(SmtpDialogue.dotStuff(message));
            s.raw(".\r\n");
            String end = s.reply();
            s.send("QUIT");
            return end;
        }
    }
}
