package org.postfach.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.postfach.queue.OutboundQueue;
import org.postfach.queue.QueueEntry;
import org.postfach.queue.RetrySchedule;

/** SPEC §6: 2xx delivered, 4xx retried with growing back-off up to maxAge, 5xx failed; a worker survives all. */
class DeliveryWorkersTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** A queue that hands out each entry once and records the outcome. */
    static final class RecordingQueue implements OutboundQueue {
        final ConcurrentLinkedQueue<QueueEntry> due = new ConcurrentLinkedQueue<>();
        final List<String> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public List<QueueEntry> lease(String owner, int max, Instant now, Duration leaseFor) {
            QueueEntry e = due.poll();
            return e == null ? List.of() : List.of(e);
        }

        @Override
        public void delivered(QueueEntry e, String owner, Instant now) {
            outcomes.add(e.id() + " DELIVERED");
        }

        @Override
        public void deferred(QueueEntry e, String owner, Instant next, String diagnostic, Instant now) {
            outcomes.add(e.id() + " DEFERRED " + Duration.between(now, next));
        }

        @Override
        public void failed(QueueEntry e, String owner, String diagnostic, Instant now) {
            outcomes.add(e.id() + " FAILED");
        }

        @Override
        public int recover(String owner) {
            return 0;
        }

        @Override
        public byte[] content(QueueEntry e) {
            return new byte[] {'x'};
        }

        @Override
        public void release(QueueEntry e, String owner) {
            outcomes.add(e.id() + " RELEASED");
        }
    }

    static QueueEntry entry(long id, int attempts, Instant created) {
        return new QueueEntry(id, id, "bounce+x@marketplace.example", "rcpt" + id + "@example.org", attempts, created, 1);
    }

    @Test
    void eachOutcomeLeavesTheRightStateAndTheWorkerLivesOn() {
        RecordingQueue queue = new RecordingQueue();
        queue.due.add(entry(1, 1, NOW));                       // 250
        queue.due.add(entry(2, 1, NOW));                       // 451: retried in 1 minute
        queue.due.add(entry(3, 4, NOW.minus(Duration.ofHours(3)))); // 451, 4th attempt: 30 minutes
        queue.due.add(entry(4, 1, NOW));                       // 550: failed at once
        queue.due.add(entry(5, 9, NOW.minus(Duration.ofDays(5)))); // 451 after maxAge: failed
        queue.due.add(entry(6, 1, NOW));                       // transport bug: deferred, worker lives
        queue.due.add(entry(7, 1, NOW));                       // still delivering after all that
        Transport transport = new Transport() {
            @Override
            public void send(String from, String rcpt, byte[] message) throws DeliveryException {
                switch (rcpt) {
                    case "rcpt2@example.org", "rcpt3@example.org", "rcpt5@example.org" ->
                            throw new DeliveryException(false, "451 4.3.0 try later", null);
                    case "rcpt4@example.org" -> throw new DeliveryException(true, "550 5.1.1 no such user", null);
                    case "rcpt6@example.org" -> throw new IllegalStateException("bug");
                    default -> { }
                }
            }

            @Override
            public void close() {
            }
        };
        try (DeliveryWorkers workers = new DeliveryWorkers(queue, () -> transport,
                new RetrySchedule(Duration.ofDays(5)), CLOCK, 1, Duration.ofMillis(20), "node-test")) {
            workers.start();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queue.outcomes.size() == 7);
        }
        assertThat(queue.outcomes).containsExactly("1 DELIVERED", "2 DEFERRED PT1M", "3 DEFERRED PT30M", "4 FAILED",
                "5 FAILED", "6 DEFERRED PT1M", "7 DELIVERED");
    }

    @Test
    void theBackOffGrowsAndEndsAtMaxAge() {
        RetrySchedule s = new RetrySchedule(Duration.ofDays(5));
        Instant created = NOW;
        List<Duration> delays = new ArrayList<>();
        for (int attempt = 1; attempt <= 8; attempt++) {
            delays.add(Duration.between(NOW, s.next(attempt, created, NOW).orElseThrow()));
        }
        assertThat(delays).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
                Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4),
                Duration.ofHours(4));
        Instant late = created.plus(Duration.ofDays(5)).minus(Duration.ofMinutes(10));
        assertThat(s.next(30, created, late)).as("never past maxAge").contains(created.plus(Duration.ofDays(5)));
        assertThat(s.next(31, created, created.plus(Duration.ofDays(5)))).isEqualTo(Optional.empty());
    }
}
