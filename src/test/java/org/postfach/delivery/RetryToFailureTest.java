package org.postfach.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postfach.bounce.Notices;
import org.postfach.bounce.VerpAddresses;
import org.postfach.directory.AliasGenerator;
import org.postfach.directory.Directory;
import org.postfach.intake.DeliveryFailures;
import org.postfach.intake.NewMessage;
import org.postfach.mail.Address;
import org.postfach.queue.RetrySchedule;
import org.postfach.store.Database;
import org.postfach.store.JdbcDirectoryStore;
import org.postfach.store.JdbcMessageStore;
import org.postfach.store.JdbcOutboundQueue;

/**
 * SPEC §6: a message that only ever gets 4xx is retried on every step of the back-off until delivery.maxAge, then
 * fails, and its sender gets exactly one delivery-failed notice (SPEC §3.4): never for a notice, never for a seller
 * who switched notices off. In-memory H2 and a clock the test moves: no sockets, no files, no waiting for real time.
 */
class RetryToFailureTest {
    static final String DOMAIN = "alias.example";
    static final Duration MAX_AGE = Duration.ofDays(5);

    /** A clock the test sets to each next attempt. */
    static final class MutableClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-24T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** 4xx for the original recipient, 250 for everything else (the notices). */
    static final class Recipients4xx implements Transport {
        final List<String> delivered;

        Recipients4xx(List<String> delivered) {
            this.delivered = delivered;
        }

        @Override
        public void send(String envelopeFrom, String recipient, byte[] message) throws DeliveryException {
            if (recipient.equals("unreachable@remote.example")) {
                throw new DeliveryException(false, "451 4.3.0 remote-secret-diagnostic", null);
            }
            delivered.add(recipient + "\n" + new String(message, StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
        }
    }

    final MutableClock clock = new MutableClock();
    final List<String> delivered = new CopyOnWriteArrayList<>();
    Database db;
    JdbcMessageStore messages;
    Directory directory;
    DeliveryWorkers workers;

    @BeforeEach
    void open() {
        db = Database.open("jdbc:h2:mem:retry-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", 4);
        db.migrate();
        messages = new JdbcMessageStore(db.jdbc());
        AliasGenerator aliases = new AliasGenerator(DOMAIN, 32);
        directory = new Directory(new JdbcDirectoryStore(db.jdbc()), aliases, DOMAIN, clock);
        VerpAddresses verp = new VerpAddresses(new byte[32], DOMAIN);
        workers = new DeliveryWorkers(new JdbcOutboundQueue(db.jdbc()), () -> new Recipients4xx(delivered),
                new RetrySchedule(MAX_AGE), clock, 1, Duration.ofMillis(20), "node-test",
                new DeliveryFailures(messages, directory, new Notices(DOMAIN), verp, aliases, DOMAIN));
    }

    @AfterEach
    void close() {
        workers.close();
        db.close();
    }

    private long queue(String senderParty, String sellerId, String from) {
        byte[] body = "From: x\r\nSubject: Frage zur Lieferung\r\n\r\nHallo\r\n".getBytes(StandardCharsets.US_ASCII);
        NewMessage m = new NewMessage(clock.now, "buyer-to-seller", NewMessage.QUEUED, sellerId, null, null, null,
                from, "k7q2@" + DOMAIN, "unreachable@remote.example", "Frage zur Lieferung", null,
                "<" + UUID.randomUUID() + "@" + DOMAIN + ">", null, senderParty, false, body, body,
                "bounce-x@" + DOMAIN, null, List.of());
        return messages.save(List.of(m), List.of()).get(0);
    }

    private String state(long id) {
        return db.jdbc().one("SELECT state FROM outbound_queue WHERE message_id = ?", rs -> rs.getString(1), id)
                .orElseThrow();
    }

    private int attempts(long id) {
        return db.jdbc().one("SELECT attempts FROM outbound_queue WHERE message_id = ?", rs -> rs.getInt(1), id)
                .orElseThrow();
    }

    private Instant nextAttempt(long id) {
        return db.jdbc().one("SELECT next_attempt_at FROM outbound_queue WHERE message_id = ?",
                rs -> org.postfach.store.Jdbc.instant(rs, "next_attempt_at"), id).orElseThrow();
    }

    private long notices(long id) {
        return db.jdbc().one("SELECT COUNT(*) FROM messages WHERE route = 'notice' AND related_id = ?",
                rs -> rs.getLong(1), id).orElseThrow();
    }

    /** Runs the worker through every deferral, moving the clock to each next attempt; returns the attempts. */
    private int driveToFailure(long id) {
        workers.start();
        Instant created = clock.now;
        int attempt = 0;
        while (true) {
            int expected = ++attempt;
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> attempts(id) == expected && !state(id).equals("SENDING")
                            && !state(id).equals("QUEUED"));
            if (state(id).equals("FAILED")) {
                return attempt;
            }
            assertThat(state(id)).isEqualTo("DEFERRED");
            Instant next = nextAttempt(id);
            assertThat(next).isAfter(clock.now).isBeforeOrEqualTo(created.plus(MAX_AGE));
            assertThat(notices(id)).isZero();
            clock.now = next;
            workers.queued();
        }
    }

    @Test
    void retriedUntilMaxAgeThenOneFailureNoticeToTheSender() {
        long id = queue("buyer:b1", "s1", "buyer@buyer.example");
        int attempts = driveToFailure(id);
        // 1m, 5m, 15m, 30m, 1h, 2h, then every 4h up to 5 days: 6 + ceil((120h - 3h51m) / 4h) + 1
        assertThat(attempts).isEqualTo(37);
        assertThat(clock.now).isEqualTo(Instant.parse("2026-11-24T10:00:00Z").plus(MAX_AGE));
        assertThat(notices(id)).isEqualTo(1);
        assertThat(db.jdbc().one("SELECT status FROM messages WHERE id = ?", rs -> rs.getString(1), id))
                .contains("FAILED");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 1);
        String notice = delivered.get(0);
        assertThat(notice).startsWith("buyer@buyer.example\n").contains("k7q2@" + DOMAIN)
                .doesNotContain("remote-secret-diagnostic").doesNotContain("unreachable@remote.example");
        // the notice itself was delivered; nothing else is queued
        assertThat(db.jdbc().one("SELECT COUNT(*) FROM outbound_queue WHERE state NOT IN ('DELIVERED', 'FAILED')",
                rs -> rs.getLong(1))).contains(0L);
    }

    @Test
    void failedNoticeGetsNoNoticeOfItsOwn() {
        long id = queue("system", "s1", "buyer@buyer.example");
        driveToFailure(id);
        assertThat(notices(id)).isZero();
        assertThat(delivered).isEmpty();
    }

    @Test
    void sellerWithBounceNoticesOffGetsNone() {
        directory.registerSeller("s1", "Shop", Address.parse("seller@shop.example").orElseThrow(),
                Address.parse("cs@shop.example").orElseThrow());
        directory.updateSeller("s1", null, null, false, null);
        long id = queue("seller:s1", "s1", "seller@shop.example");
        driveToFailure(id);
        assertThat(notices(id)).isZero();
        assertThat(delivered).isEmpty();
    }

    @Test
    void statusOfAPermanentFailureIsTheEnhancedCodeNeverTheText() {
        assertThat(DeliveryWorkers.status("550 5.1.1 <x@y>: user unknown")).isEqualTo("5.1.1");
        assertThat(DeliveryWorkers.status("554 transaction failed")).isEqualTo("5.0.0");
        assertThat(DeliveryWorkers.status(null)).isEqualTo("5.0.0");
    }
}
