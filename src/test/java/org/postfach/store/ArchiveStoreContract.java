package org.postfach.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postfach.archive.ChainVerifier;
import org.postfach.intake.NewMessage;

/**
 * The retention purge (SPEC §8) on each engine: messages past retention lose their bodies, personal fields and
 * finished queue entries, in batches until none is due; held and younger messages keep everything; the chain
 * still verifies.
 */
abstract class ArchiveStoreContract extends StoreContract {
    static final Instant OLD = Instant.parse("2024-01-10T10:00:00Z");
    static final Instant CUT_OFF = OLD.plus(Duration.ofDays(1));
    static final Instant NOW = OLD.plus(Duration.ofDays(731));
    JdbcMessageStore store;
    JdbcArchiveStore archive;

    @BeforeEach
    void stores() {
        store = new JdbcMessageStore(db.jdbc());
        archive = new JdbcArchiveStore(db.jdbc(), 3); // batches of three: seven due messages take three
    }

    static NewMessage message(String token, Instant at) {
        byte[] raw = ("Subject: " + token + "\r\n\r\nbody of " + token + "\r\n").getBytes();
        return new NewMessage(at, "seller-to-buyer", NewMessage.QUEUED, "s1", "b1", "alias@marketplace.example", null,
                "seller@shop.example", "alias@marketplace.example", "buyer@buyer.example", token, "text of " + token,
                "<" + token + "@marketplace.example>", null, "seller:s1", false, raw, raw,
                "bounce+" + token + "@marketplace.example", null, List.of());
    }

    long save(String token, Instant at) {
        return store.save(List.of(message(token, at)), List.of()).get(0);
    }

    int count(String sql, long id) {
        return db.jdbc().one(sql, rs -> rs.getInt(1), id).orElseThrow();
    }

    @Test
    void messagesPastRetentionArePurgedBatchByBatchAndHeldOrYoungerOnesKeepEverything() {
        List<Long> due = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            due.add(save("old" + i, OLD.plusSeconds(i)));
        }
        long held = save("held", OLD);
        archive.setLegalHold(held, true);
        long young = save("young", CUT_OFF.plusSeconds(1));
        db.jdbc().update("UPDATE outbound_queue SET state = 'DELIVERED' WHERE message_id <> ?", due.get(6));

        assertThat(archive.purge(CUT_OFF, NOW)).isEqualTo(7);

        for (long id : due) {
            assertThat(archive.message(id).orElseThrow().purgedAt()).isEqualTo(NOW);
            assertThat(archive.message(id).orElseThrow().subject()).isNull();
            assertThat(archive.raw(id, "original")).isEmpty();
            assertThat(count("SELECT COUNT(*) FROM message_bodies WHERE message_id = ?", id)).isZero();
        }
        assertThat(count("SELECT COUNT(*) FROM outbound_queue WHERE message_id = ?", due.get(0)))
                .as("a delivered entry goes").isZero();
        assertThat(count("SELECT COUNT(*) FROM outbound_queue WHERE message_id = ?", due.get(6)))
                .as("an entry still queued stays").isEqualTo(1);
        for (long id : List.of(held, young)) {
            assertThat(archive.message(id).orElseThrow().purgedAt()).isNull();
            assertThat(archive.raw(id, "original")).isPresent();
            assertThat(archive.message(id).orElseThrow().delivery().state()).isEqualTo("DELIVERED");
        }
        assertThat(new ChainVerifier(archive).verify().ok()).isTrue();
        assertThat(archive.purge(CUT_OFF, NOW)).as("nothing left to purge").isZero();
    }

    @Test
    void aBatchThatTakesExactlyTheLastDueMessagesEndsThePurge() {
        for (int i = 0; i < 6; i++) {
            save("old" + i, OLD);
        }
        assertThat(archive.purge(CUT_OFF, NOW)).isEqualTo(6);
        assertThat(db.jdbc().one("SELECT COUNT(*) FROM messages WHERE purged_at IS NULL", rs -> rs.getInt(1))
                .orElseThrow()).isZero();
    }

    /**
     * The purge deletes a batch's finished queue entries by message and the archive view reads a message's entry:
     * one index of the queue starts with message_id on each engine (H2 makes it for the foreign key, PostgreSQL
     * gets it from version 8), and never two, each of which every stored message would write.
     */
    @Test
    void theQueueHasExactlyOneIndexThatStartsWithTheMessage() throws Exception {
        try (java.sql.Connection c = db.dataSource().getConnection()) {
            java.util.Set<String> indexes = new java.util.HashSet<>();
            for (String table : List.of("outbound_queue", "OUTBOUND_QUEUE")) {
                try (java.sql.ResultSet rs = c.getMetaData().getIndexInfo(c.getCatalog(), null, table, false, false)) {
                    while (rs.next()) {
                        if (rs.getShort("ORDINAL_POSITION") == 1
                                && "message_id".equalsIgnoreCase(rs.getString("COLUMN_NAME"))) {
                            indexes.add(rs.getString("INDEX_NAME"));
                        }
                    }
                }
            }
            assertThat(indexes).hasSize(1);
        }
    }
}
