package org.postfach.durability;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.mail.Replies;
import org.postfach.testing.Api;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/**
 * SPEC §6 on a graceful stop: SIGTERM while four clients keep sending. The relay stops by itself (the shutdown
 * hook), and after a restart every message that was answered 250 has reached the smarthost exactly once. Under
 * kill -9 in the middle of the load, every acknowledged message arrives after the restart (at least once); a
 * run without a crash delivers each of 200 messages exactly once.
 */
class ShutdownIT {
    @RegisterExtension
    static GreenMailExtension smarthost = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;

    @Test
    void sigtermWhileClientsSendLosesAndDuplicatesNothing() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> refusedGreetings = ConcurrentHashMap.newKeySet();
        Map<String, String> env = TestRelay.env(dir, smarthost.getSmtp().getPort());
        try (ChildRelay first = new ChildRelay(env)) {
            Api api = new Api(first.apiPort, TestRelay.TOKEN);
            api.seller("s", "Shop", "seller@shop.example", "cs@shop.example");
            api.buyer("b", "Buyer", "buyer@buyer.example");
            String alias = api.order("o1", "s", "b", null);
            AtomicInteger sent = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int client = t;
                Thread th = new Thread(() -> sendUntilGone(first, client, alias, acknowledged, refusedGreetings, sent));
                th.start();
                clients.add(th);
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 40);
            first.process.destroy(); // SIGTERM: the shutdown hook stops the relay in order
            assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            for (Thread th : clients) {
                th.join(30_000);
            }
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(40);

        try (ChildRelay second = new ChildRelay(env)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> subjects().keySet().containsAll(acknowledged));
            Thread.sleep(1000); // a late duplicate would show up now
        }
        Map<String, Integer> got = subjects();
        for (String s : acknowledged) {
            assertThat(got.get(s)).as("copies of " + s).isEqualTo(1);
        }
        assertThat(got.values()).allMatch(n -> n == 1);
        refusedGreetings.forEach(g -> assertThat(g).startsWith("421 4.3.2"));
    }

    @Test
    void killNineUnderLoadLosesNothingThatWasAcknowledged() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<String, String> env = TestRelay.env(dir, smarthost.getSmtp().getPort());
        String alias;
        try (ChildRelay first = new ChildRelay(env)) {
            alias = new Api(first.apiPort, TestRelay.TOKEN).pair();
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 5; t++) {
                int client = t;
                Thread th = new Thread(() -> sendUntilGone(first, client, alias, acknowledged,
                        ConcurrentHashMap.newKeySet(), new AtomicInteger()));
                th.start();
                clients.add(th);
            }
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> acknowledged.size() >= 120);
            first.kill(); // SIGKILL in the middle of the load: sessions cut, deliveries cut
            for (Thread th : clients) {
                th.join(30_000);
            }
        }
        int beforeCrash = acknowledged.size();
        try (ChildRelay second = new ChildRelay(env)) {
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 5; t++) {
                int client = 10 + t;
                Thread th = new Thread(() -> sendCount(second.smtpPort, client, alias, 20, acknowledged));
                th.start();
                clients.add(th);
            }
            for (Thread th : clients) {
                th.join(120_000);
            }
            assertThat(acknowledged.size()).as("at least 200 messages in all").isGreaterThanOrEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> subjects().keySet().containsAll(acknowledged));
        }
        assertThat(beforeCrash).isGreaterThanOrEqualTo(120);
        // README "Durability": at least once across a crash; a cut delivery may come twice, never zero times
        assertThat(subjects().keySet()).containsAll(acknowledged);
    }

    @Test
    void aNormalRunDeliversEachMessageExactlyOnce() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<String, String> env = TestRelay.env(dir, smarthost.getSmtp().getPort());
        try (ChildRelay relay = new ChildRelay(env)) {
            String alias = new Api(relay.apiPort, TestRelay.TOKEN).pair();
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 5; t++) {
                int client = t;
                Thread th = new Thread(() -> sendCount(relay.smtpPort, client, alias, 40, acknowledged));
                th.start();
                clients.add(th);
            }
            for (Thread th : clients) {
                th.join(120_000);
            }
            assertThat(acknowledged).hasSize(200);
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> subjects().keySet().containsAll(acknowledged));
            Thread.sleep(1000); // a late duplicate would show up now
        }
        assertThat(subjects()).hasSize(200).allSatisfy((subject, copies) -> assertThat(copies).isEqualTo(1));
    }

    private static void sendCount(int port, int client, String alias, int count, Set<String> acknowledged) {
        try (SmtpDialogue s = new SmtpDialogue(port)) {
            s.send("EHLO shop.example");
            for (int n = 0; n < count; n++) {
                String subject = "load-" + client + "-" + n;
                byte[] msg = ("From: seller@shop.example\r\nSubject: " + subject + "\r\n\r\nBody\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                if (Replies.OK.toString().equals(s.mail("seller@shop.example", alias, msg))) {
                    acknowledged.add(subject);
                }
            }
            s.send("QUIT");
        } catch (Exception | AssertionError e) {
            throw new IllegalStateException("client " + client + ": " + e, e);
        }
    }

    private static void sendUntilGone(ChildRelay relay, int client, String alias, Set<String> acknowledged,
                                      Set<String> refusedGreetings, AtomicInteger sent) {
        int n = 0;
        while (relay.process.isAlive()) {
            try (SmtpDialogue s = new SmtpDialogue(relay.smtpPort)) {
                if (s.greeting == null || !s.greeting.startsWith("220")) {
                    if (s.greeting != null) {
                        refusedGreetings.add(s.greeting);
                    }
                    continue;
                }
                s.send("EHLO shop.example");
                for (int k = 0; k < 5; k++) {
                    String subject = "shutdown-" + client + "-" + n++;
                    byte[] msg = ("From: seller@shop.example\r\nSubject: " + subject + "\r\n\r\nBody\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    String reply = s.mail("seller@shop.example", alias, msg);
                    if (!Replies.OK.toString().equals(reply)) {
                        break;
                    }
                    acknowledged.add(subject);
                    sent.incrementAndGet();
                }
                s.send("QUIT");
            } catch (Exception | AssertionError e) {
                // refused, cut off or 421: the relay is going away
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private static Map<String, Integer> subjects() throws Exception {
        Map<String, Integer> out = new HashMap<>();
        for (MimeMessage m : smarthost.getReceivedMessages()) {
            out.merge(m.getSubject(), 1, Integer::sum);
        }
        return out;
    }
}
