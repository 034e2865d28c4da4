package org.postfach.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.Relay;
import org.postfach.testing.SmtpDialogue;
import org.postfach.testing.TestRelay;

/** SPEC §7: connections, connections per address, idle time and session time are bounded with an SMTP reply. */
class SmtpBoundsIT {
    @TempDir
    Path dir;
    Relay relay;

    void start(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        // nothing is delivered in these tests: the smarthost port is never reached
        relay = TestRelay.start(dir, 9, env);
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    /** Polls until {@code n} sessions at once are all greeted (counts of ended sessions are released). */
    void awaitSessions(int n) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            List<SmtpDialogue> open = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    open.add(new SmtpDialogue(relay.smtpPort()));
                }
                return open.stream().allMatch(w -> w.greeting != null && w.greeting.startsWith("220 "));
            } finally {
                for (SmtpDialogue w : open) {
                    w.close();
                }
            }
        });
    }

    /**
     * A new dialogue once the relay greets it with 220. The probes of {@link #awaitSessions} take every count
     * themselves, and the relay gives a probe's count back only when it reads the probe's hang-up: a dialogue
     * opened right after them could be refused with 421 "too many connections" (and then get no reply to QUIT).
     */
    SmtpDialogue greeted() {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            SmtpDialogue w = new SmtpDialogue(relay.smtpPort());
            if (w.greeting != null && w.greeting.startsWith("220 ")) {
                return w;
            }
            w.close();
            return null;
        }, java.util.Objects::nonNull);
    }

    @Test
    void oneConnectionTooManyIsRefusedWith421() throws Exception {
        start("POSTFACH_SMTP_MAXCONNECTIONS", "2", "POSTFACH_SMTP_MAXCONNECTIONSPERIP", "10");
        try (SmtpDialogue a = new SmtpDialogue(relay.smtpPort()); SmtpDialogue b = new SmtpDialogue(relay.smtpPort())) {
            assertThat(a.greeting).startsWith("220 ");
            assertThat(b.greeting).startsWith("220 ");
            try (SmtpDialogue c = new SmtpDialogue(relay.smtpPort())) {
                assertThat(c.greeting).isEqualTo("421 4.7.0 Too many connections, try again later");
                assertThat(c.reply()).as("closed").isNull();
            }
            assertThat(a.send("NOOP")).as("the admitted sessions go on").isEqualTo("250 2.0.0 Ok");
        }
        awaitSessions(2);
    }

    @Test
    void oneConnectionTooManyFromOneAddressIsRefusedWith421() throws Exception {
        start("POSTFACH_SMTP_MAXCONNECTIONS", "10", "POSTFACH_SMTP_MAXCONNECTIONSPERIP", "2");
        try (SmtpDialogue a = new SmtpDialogue(relay.smtpPort()); SmtpDialogue b = new SmtpDialogue(relay.smtpPort())) {
            assertThat(b.greeting).startsWith("220 ");
            try (SmtpDialogue c = new SmtpDialogue(relay.smtpPort())) {
                assertThat(c.greeting).isEqualTo("421 4.7.0 Too many connections from your address, try again later");
                assertThat(c.reply()).as("closed").isNull();
            }
        }
        awaitSessions(2);
    }

    @Test
    void everyWayASessionEndsReleasesItsCount() throws Exception {
        start("POSTFACH_SMTP_MAXCONNECTIONS", "2", "POSTFACH_SMTP_MAXCONNECTIONSPERIP", "2",
                "POSTFACH_SMTP_IDLETIMEOUT", "1s", "POSTFACH_SMTP_MAXERRORS", "3");
        for (int round = 0; round < 2; round++) {
            try (SmtpDialogue w = greeted()) {
                assertThat(w.send("QUIT")).startsWith("221 2.0.0");
            }
            awaitSessions(2);
            greeted().close(); // hang up without QUIT
            awaitSessions(2);
            try (SmtpDialogue w = greeted()) {
                assertThat(w.send("BDAT 10 LAST")).startsWith("502 5.5.1");
            }
            awaitSessions(2);
            try (SmtpDialogue w = greeted()) {
                w.send("X");
                w.send("Y");
                assertThat(w.send("Z")).startsWith("500 5.5.2");
                assertThat(w.reply()).startsWith("421 4.7.0");
            }
            awaitSessions(2);
            try (SmtpDialogue w = greeted()) {
                assertThat(w.reply()).startsWith("421 4.4.2");
            }
            awaitSessions(2);
        }
    }

    @Test
    void anIdleClientGets421AndIsDisconnected() throws Exception {
        start("POSTFACH_SMTP_IDLETIMEOUT", "1s");
        try (SmtpDialogue w = new SmtpDialogue(relay.smtpPort())) {
            assertThat(w.send("EHLO client.example")).startsWith("250");
            long t0 = System.nanoTime();
            assertThat(w.reply()).isEqualTo("421 4.4.2 Idle timeout: nothing received for too long, closing connection");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(800));
            assertThat(w.reply()).as("closed").isNull();
        }
    }

    @Test
    void anIdleClientInsideDataGets421Too() throws Exception {
        start("POSTFACH_SMTP_IDLETIMEOUT", "1s");
        TestRelay.api(relay).seller("s", "Shop", "seller@shop.example", "cs@shop.example");
        TestRelay.api(relay).buyer("b", "Buyer", "buyer@buyer.example");
        String alias = TestRelay.api(relay).order("o", "s", "b", null);
        try (SmtpDialogue w = new SmtpDialogue(relay.smtpPort())) {
            w.send("EHLO client.example");
            assertThat(w.send("MAIL FROM:<seller@shop.example>")).startsWith("250");
            assertThat(w.send("RCPT TO:<" + alias + ">")).startsWith("250");
            assertThat(w.send("DATA")).startsWith("354");
            w.raw("Subject: half\r\n");
            assertThat(w.reply()).startsWith("421 4.4.2 ");
            assertThat(w.reply()).isNull();
        }
    }

    @Test
    void aSlowlorisClientIsCutOffAtTheSessionDeadline() throws Exception {
        start("POSTFACH_SMTP_IDLETIMEOUT", "5s", "POSTFACH_SMTP_SESSIONTIMEOUT", "2s");
        try (SmtpDialogue w = new SmtpDialogue(relay.smtpPort())) {
            assertThat(w.greeting).startsWith("220 ");
            long t0 = System.nanoTime();
            Thread dribble = new Thread(() -> dribble(w), "slowloris");
            dribble.setDaemon(true);
            dribble.start();
            assertThat(w.reply()).isEqualTo("421 4.4.2 Session time limit reached, closing connection");
            assertThat(w.reply()).as("closed").isNull();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(took).isGreaterThan(Duration.ofMillis(1500)).isLessThan(Duration.ofSeconds(5));
            dribble.interrupt();
        }
    }

    /** One byte a second, never a whole line: each byte resets the idle timer, only the deadline ends it. */
    private static void dribble(SmtpDialogue w) {
        try {
            for (int i = 0; i < 30; i++) {
                w.raw("N");
                Thread.sleep(1000); // this test is about time
            }
        } catch (IOException | InterruptedException e) {
            // the server closed the connection, or the test is over
        }
    }
}
