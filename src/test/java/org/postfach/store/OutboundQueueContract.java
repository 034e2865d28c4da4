package org.postfach.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postfach.testing.Race.race;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postfach.queue.QueueEntry;

/** The queue port (SPEC §6, ARCHITECTURE "Storage"): leases with expiry, outcomes only by the holder. */
abstract class OutboundQueueContract extends StoreContract {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final Duration LEASE = Duration.ofMinutes(5);
    JdbcOutboundQueue queue;
    JdbcMessageStore messages;

    @BeforeEach
    void stores() {
        queue = new JdbcOutboundQueue(db.jdbc());
        messages = new JdbcMessageStore(db.jdbc());
    }

    List<Long> enqueue(int n) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.addAll(messages.save(List.of(MessageStoreContract.message("m" + ids.size() + "-" + System.nanoTime())),
                    List.of()));
        }
        return ids;
    }

    String state(long messageId) {
        return db.jdbc().one("SELECT state FROM outbound_queue WHERE message_id = ?", rs -> rs.getString(1), messageId)
                .orElseThrow();
    }

    String status(long messageId) {
        return db.jdbc().one("SELECT status FROM messages WHERE id = ?", rs -> rs.getString(1), messageId)
                .orElseThrow();
    }

    @Test
    void aLeaseTakesDueEntriesOnceWithTheirDeliveredBytes() {
        long id = enqueue(1).get(0);
        assertThat(queue.lease("a", 10, T0.minusSeconds(1), LEASE)).as("not due yet").isEmpty();
        List<QueueEntry> got = queue.lease("a", 10, T0, LEASE);
        assertThat(got).singleElement().satisfies(e -> {
            assertThat(e.messageId()).isEqualTo(id);
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.recipient()).isEqualTo("buyer@buyer.example");
            assertThat(e.createdAt()).isEqualTo(T0);
            byte[] content = queue.content(e);
            assertThat(new String(content)).startsWith("Subject: m0-");
            assertThat(e.size()).as("the size comes with the lease, the bytes only on request").isEqualTo(content.length);
        });
        assertThat(state(id)).isEqualTo("SENDING");
        assertThat(queue.lease("b", 10, T0.plusSeconds(1), LEASE)).as("leased").isEmpty();
    }

    // ---- hand-over from intake to this node's workers (queue.HandOff) ----

    /** Records what it sends; blocks on {@code gate} first when one is set. */
    static final class Sink implements org.postfach.delivery.Transport {
        final List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile java.util.concurrent.CountDownLatch gate;

        @Override
        public void send(String from, String to, byte[] message) {
            java.util.concurrent.CountDownLatch g = gate;
            if (g != null) {
                try {
                    g.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            sent.add(new String(message));
        }

        @Override
        public void close() {
        }
    }

    org.postfach.delivery.DeliveryWorkers workers(Sink sink, int count) {
        org.postfach.delivery.DeliveryWorkers w = new org.postfach.delivery.DeliveryWorkers(queue, () -> sink,
                new org.postfach.queue.RetrySchedule(Duration.ofDays(5)), java.time.Clock.fixed(T0,
                java.time.ZoneOffset.UTC), count, Duration.ofHours(1), "node-a"); // the table is read on start only
        w.start();
        return w;
    }

    long handOver(org.postfach.queue.HandOff handOff, String token, boolean confirm) {
        org.postfach.intake.NewMessage m = MessageStoreContract.message(token);
        org.postfach.queue.HandOff.Ticket ticket = handOff.reserve(1, m.delivered().length);
        assertThat(ticket).as("room for one small message").isNotNull();
        long id = messages.save(List.of(m), List.of(), ticket).get(0);
        if (confirm) {
            ticket.confirm();
        }
        return id;
    }

    @Test
    void aHandedOverMessageIsSentFromMemoryWhileItsRowIsLeasedToThisNode() {
        Sink sink = new Sink();
        sink.gate = new java.util.concurrent.CountDownLatch(1);
        try (var w = workers(sink, 1)) {
            long id = handOver(w, "h1", true);
            assertThat(state(id)).isEqualTo("SENDING");
            assertThat(queue.lease("node-b", 10, T0.plusSeconds(1), LEASE)).as("no other node takes it").isEmpty();
            sink.gate.countDown();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(state(id)));
            assertThat(sink.sent).singleElement().asString().startsWith("Subject: h1");
            assertThat(status(id)).isEqualTo("DELIVERED");
        }
    }

    @Test
    void roomIsLimitedAndGivenBackWhenASaveFails() {
        try (var w = workers(new Sink(), 2)) {
            assertThat(w.reserve(1, 300 * 1024)).as("large messages go through the table").isNull();
            org.postfach.queue.HandOff.Ticket all = w.reserve(8, 8 * 100);
            assertThat(all).isNotNull();
            assertThat(w.reserve(1, 100)).as("full").isNull();
            all.cancel();
            assertThat(w.reserve(1, 100)).as("given back").isNotNull();
        }
    }

    @Test
    void whatWasHandedOverButNotSentWhenTheWorkersStopIsDueAgainInTheTable() throws Exception {
        Sink sink = new Sink();
        sink.gate = new java.util.concurrent.CountDownLatch(1);
        var w = workers(sink, 1);
        long first = handOver(w, "s1", true);
        long second = handOver(w, "s2", true); // waits behind the first, which the transport holds
        Thread closing = new Thread(w::close);
        closing.start();
        Thread.sleep(300); // close() has stopped the loop and waits for the worker
        sink.gate.countDown();
        closing.join(20_000);
        assertThat(state(first)).isEqualTo("DELIVERED");
        assertThat(state(second)).isEqualTo("QUEUED");
        assertThat(queue.lease("node-b", 10, T0, LEASE)).singleElement()
                .satisfies(e -> assertThat(e.messageId()).isEqualTo(second));
    }

    @Test
    void aHandedOverRowOfANodeThatDiedIsRecoveredWhenItStartsAgain() {
        try (var w = workers(new Sink(), 1)) {
            long id = handOver(w, "c1", false); // committed, then the node died before the workers had it
            assertThat(state(id)).isEqualTo("SENDING");
            assertThat(queue.recover("node-a")).isEqualTo(1);
            assertThat(state(id)).isEqualTo("QUEUED");
        }
    }

    @Test
    void anEntryQueuedBeforeTheSizeColumnIsMeasuredFromItsBody() {
        long id = enqueue(1).get(0);
        db.jdbc().update("UPDATE outbound_queue SET size_bytes = NULL WHERE message_id = ?", id); // as V5 left it
        QueueEntry e = queue.lease("a", 10, T0, LEASE).get(0);
        assertThat(e.size()).isEqualTo(queue.content(e).length).isPositive();
    }

    @Test
    void aBatchIsLeasedInTheOrderItFellDue() {
        List<Long> ids = enqueue(3);
        db.jdbc().update("UPDATE outbound_queue SET next_attempt_at = ? WHERE message_id = ?", T0.minusSeconds(5),
                ids.get(2));
        assertThat(queue.lease("a", 10, T0, LEASE)).extracting(QueueEntry::messageId)
                .containsExactly(ids.get(2), ids.get(0), ids.get(1));
    }

    @Test
    void deliveredDeferredAndFailedEndTheLeaseAndSetTheArchiveStatus() {
        List<Long> ids = enqueue(3);
        List<QueueEntry> got = queue.lease("a", 10, T0, LEASE);
        assertThat(got).hasSize(3);
        queue.delivered(got.get(0), "a", T0.plusSeconds(1));
        queue.deferred(got.get(1), "a", T0.plusSeconds(600), "451 try later", T0.plusSeconds(1));
        queue.failed(got.get(2), "a", "550 no such user", T0.plusSeconds(1));
        assertThat(List.of(state(ids.get(0)), state(ids.get(1)), state(ids.get(2))))
                .containsExactly("DELIVERED", "DEFERRED", "FAILED");
        assertThat(List.of(status(ids.get(0)), status(ids.get(1)), status(ids.get(2))))
                .containsExactly("DELIVERED", "DEFERRED", "FAILED");

        assertThat(queue.lease("a", 10, T0.plusSeconds(599), LEASE)).isEmpty();
        assertThat(queue.lease("a", 10, T0.plusSeconds(600), LEASE)).singleElement()
                .satisfies(e -> assertThat(e.messageId()).isEqualTo(ids.get(1)))
                .satisfies(e -> assertThat(e.attempts()).isEqualTo(2));
    }

    @Test
    void onlyTheLeaseHolderRecordsAnOutcome() {
        long id = enqueue(1).get(0);
        QueueEntry e = queue.lease("a", 1, T0, LEASE).get(0);
        queue.delivered(e, "b", T0.plusSeconds(1));
        assertThat(state(id)).isEqualTo("SENDING");
        assertThat(status(id)).isEqualTo("QUEUED");
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheOldHolderCannotFinishIt() {
        long id = enqueue(1).get(0);
        QueueEntry first = queue.lease("a", 1, T0, LEASE).get(0);
        assertThat(queue.lease("b", 1, T0.plus(LEASE), LEASE)).as("not expired at the instant").isEmpty();
        QueueEntry second = queue.lease("b", 1, T0.plus(LEASE).plusSeconds(1), LEASE).get(0);
        assertThat(second.attempts()).isEqualTo(2);
        queue.failed(first, "a", "late", T0.plus(LEASE).plusSeconds(2));
        assertThat(state(id)).isEqualTo("SENDING");
        queue.delivered(second, "b", T0.plus(LEASE).plusSeconds(3));
        assertThat(state(id)).isEqualTo("DELIVERED");
    }

    @Test
    void recoverTakesBackOnlyThisNodesLeasesAndReleaseUndoesTheAttempt() {
        List<Long> ids = enqueue(2);
        QueueEntry a = queue.lease("a", 1, T0, LEASE).get(0);
        QueueEntry b = queue.lease("b", 1, T0, LEASE).get(0);
        assertThat(queue.recover("a")).isEqualTo(1);
        assertThat(state(a.messageId())).isEqualTo("QUEUED");
        assertThat(state(b.messageId())).isEqualTo("SENDING");
        QueueEntry again = queue.lease("c", 5, T0.plusSeconds(1), LEASE).get(0);
        assertThat(again.messageId()).isEqualTo(a.messageId());
        assertThat(again.attempts()).isEqualTo(2);
        queue.release(again, "c");
        assertThat(queue.lease("d", 5, T0.plusSeconds(2), LEASE)).singleElement()
                .satisfies(e -> assertThat(e.attempts()).isEqualTo(2));
        assertThat(ids).contains(a.messageId(), b.messageId());
    }

    @Test
    void concurrentWorkersOfSeveralNodesNeverLeaseTheSameEntry() throws Exception {
        int entries = 300;
        enqueue(entries);
        int workers = 8;
        Map<Long, String> holder = new ConcurrentHashMap<>();
        List<String> doubles = java.util.Collections.synchronizedList(new ArrayList<>());
        race(workers, w -> {
            String owner = "node-" + w;
            while (true) {
                List<QueueEntry> batch = queue.lease(owner, 7, T0, LEASE);
                if (batch.isEmpty()) {
                    return null;
                }
                for (QueueEntry e : batch) {
                    String before = holder.putIfAbsent(e.id(), owner);
                    if (before != null) {
                        doubles.add(e.id() + " by " + before + " and " + owner);
                    }
                    queue.delivered(e, owner, T0);
                }
            }
        });
        assertThat(doubles).isEmpty();
        assertThat(holder).hasSize(entries);
        assertThat(db.jdbc().one("SELECT COUNT(*) FROM outbound_queue WHERE state = 'DELIVERED'", rs -> rs.getInt(1)))
                .contains(entries);
    }
}
