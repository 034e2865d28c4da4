package org.postfach.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postfach.testing.Race.race;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postfach.intake.NewMessage;
import org.postfach.policy.Quota;
import org.postfach.policy.QuotaExceededException;

/**
 * The message store port: one DATA in one transaction, and the SPEC §4 daily limit claimed with the messages, all
 * or nothing, never past the limit, also under concurrent sessions (was DailyCountTest, H2 only).
 */
abstract class MessageStoreContract extends StoreContract {
    static final LocalDate DAY = LocalDate.parse("2026-11-24");
    JdbcMessageStore store;

    @BeforeEach
    void stores() {
        store = new JdbcMessageStore(db.jdbc());
    }

    static NewMessage message(String token) {
        byte[] raw = ("Subject: " + token + "\r\n\r\nx\r\n").getBytes();
        return new NewMessage(Instant.parse("2026-11-24T10:00:00Z"), "seller-to-buyer", NewMessage.QUEUED, "s1", "b1",
                "alias@marketplace.example", null, "seller@shop.example", "alias@marketplace.example",
                "buyer@buyer.example", token, null, "<" + token + "@marketplace.example>", null, "seller:s1", false, raw, raw,
                "bounce+" + token + "@marketplace.example", null, List.of());
    }

    int stored() {
        return db.jdbc().one("SELECT COUNT(*) FROM messages", rs -> rs.getInt(1)).orElseThrow();
    }

    @Test
    void theLastSlotIsTakenAndTheNextClaimStoresNothing() {
        store.save(List.of(message("m1"), message("m2")), List.of(new Quota("s1", DAY, 2, 3)));
        store.save(List.of(message("m3")), List.of(new Quota("s1", DAY, 1, 3)));
        assertThat(store.sentOn("s1", DAY)).isEqualTo(3);
        assertThatThrownBy(() -> store.save(List.of(message("m4")), List.of(new Quota("s1", DAY, 1, 3))))
                .isInstanceOf(QuotaExceededException.class);
        assertThat(stored()).isEqualTo(3);
        assertThat(store.sentOn("s1", DAY)).isEqualTo(3);
        assertThat(store.sentOn("s1", DAY.plusDays(1))).isZero();
        assertThat(store.sentOn("s2", DAY)).isZero();
    }

    @Test
    void aClaimLargerThanTheRoomLeftTakesNothing() {
        store.save(List.of(message("m1")), List.of(new Quota("s1", DAY, 1, 3)));
        assertThatThrownBy(() -> store.save(List.of(message("m2"), message("m3"), message("m4")),
                List.of(new Quota("s1", DAY, 3, 3)))).isInstanceOf(QuotaExceededException.class);
        assertThat(stored()).isEqualTo(1);
        assertThat(store.sentOn("s1", DAY)).isEqualTo(1);
    }

    @Test
    void concurrentSessionsNeverBothTakeTheLastSlot() throws Exception {
        int limit = 25;
        int sessions = 10;
        int perSession = 6;
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        concurrently(sessions, perSession, (session, i) -> {
            try {
                store.save(List.of(message("s" + session + "m" + i)), List.of(new Quota("s1", DAY, 1, limit)));
                accepted.incrementAndGet();
            } catch (QuotaExceededException e) {
                refused.incrementAndGet();
            }
        });
        assertThat(accepted.get()).isEqualTo(limit);
        assertThat(refused.get()).isEqualTo(sessions * perSession - limit);
        assertThat(stored()).isEqualTo(limit);
        assertThat(store.sentOn("s1", DAY)).isEqualTo(limit);
    }

    /**
     * Group commit: concurrent sessions share commits, and a session whose save fails (here a Message-ID that is
     * already stored, a unique violation) loses only its own messages, never those committed with it; the archive
     * chain stays whole.
     */
    @Test
    void aFailingSessionInASharedCommitUndoesOnlyItsOwnMessages() throws Exception {
        store.save(List.of(message("taken")), List.of());
        int sessions = 12;
        int perSession = 15;
        AtomicInteger stored = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        concurrently(sessions, perSession, (session, i) -> {
            boolean bad = (session + i) % 3 == 0; // a good message first, then the duplicate
            List<NewMessage> data = bad ? List.of(message("g" + session + "-" + i), message("taken"))
                    : List.of(message("g" + session + "-" + i));
            try {
                store.save(data, List.of(new Quota("s1", DAY, data.size(), 1_000_000)));
                stored.addAndGet(data.size());
            } catch (StoreException e) {
                failed.incrementAndGet();
            }
        });
        int bad = 0;
        for (int t = 0; t < sessions; t++) {
            for (int i = 0; i < perSession; i++) {
                bad += (t + i) % 3 == 0 ? 1 : 0;
            }
        }
        assertThat(failed.get()).isEqualTo(bad);
        assertThat(stored.get()).isEqualTo(sessions * perSession - bad);
        assertThat(stored()).isEqualTo(1 + stored.get());
        assertThat(store.sentOn("s1", DAY)).as("the failed sessions' claims were undone").isEqualTo(stored.get());
        assertThat(count("SELECT COUNT(*) FROM outbound_queue")).isEqualTo(1 + stored.get());
        assertThat(new org.postfach.archive.ChainVerifier(new JdbcArchiveStore(db.jdbc())).verify().ok()).isTrue();
    }

    @Test
    void oneSaveStoresRowsFormsEventsAndQueueEntries() {
        NewMessage queued = message("q1");
        NewMessage blocked = new NewMessage(queued.receivedAt(), "seller-to-buyer", NewMessage.BLOCKED, "s1", "b1",
                "alias@marketplace.example", null, "seller@shop.example", "alias@marketplace.example", null, "b1", null,
                "<b1@marketplace.example>", "<orig-b1@shop.example>", "seller:s1", false, "x".getBytes(), null, null,
                "opt-out", List.of(new org.postfach.policy.PolicyEvent("opt-out", "blocked")));
        List<Long> ids = store.save(List.of(queued, blocked), List.of());
        assertThat(ids).hasSize(2).doesNotHaveDuplicates();
        assertThat(count("SELECT COUNT(*) FROM message_bodies WHERE message_id = ?", ids.get(0))).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM message_bodies WHERE message_id = ?", ids.get(1))).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM outbound_queue WHERE message_id = ?", ids.get(0))).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM outbound_queue WHERE message_id = ?", ids.get(1))).isZero();
        assertThat(store.hasEvent(ids.get(1), "opt-out")).isTrue();
        assertThat(store.hasEvent(ids.get(0), "opt-out")).isFalse();
        assertThat(store.byRelayId("<Q1@marketplace.example>")).get()
                .satisfies(k -> assertThat(k.senderParty()).isEqualTo("seller:s1"));
        assertThat(store.byOriginalId("<orig-b1@shop.example>", "seller:s1")).isPresent();
        assertThat(store.sent("<q1@marketplace.example>")).get().satisfies(m -> {
            assertThat(m.receivedAt()).isEqualTo(queued.receivedAt());
            assertThat(m.status()).isEqualTo("QUEUED");
        });
    }

    @Test
    void aFailedSaveStoresNothing() {
        store.save(List.of(message("dup")), List.of());
        assertThatThrownBy(() -> store.save(List.of(message("fresh"), message("dup")), List.of()))
                .isInstanceOf(StoreException.class);
        assertThat(stored()).isEqualTo(1);
        // the pool's connections are still usable after the aborted transaction
        store.save(List.of(message("fresh")), List.of(new Quota("s1", DAY, 1, 5)));
        assertThat(stored()).isEqualTo(2);
    }

    /** Runs {@code step(session, i)} for {@code perSession} steps in each of {@code sessions} threads at once. */
    static void concurrently(int sessions, int perSession, java.util.function.BiConsumer<Integer, Integer> step)
            throws Exception {
        race(sessions, session -> {
            for (int i = 0; i < perSession; i++) {
                step.accept(session, i);
            }
            return null;
        });
    }

    int count(String sql, Object... params) {
        return db.jdbc().one(sql, rs -> rs.getInt(1), params).orElseThrow();
    }
}
