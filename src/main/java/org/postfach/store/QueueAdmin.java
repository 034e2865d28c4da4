package org.postfach.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The operator's view of the outbound queue ({@code postfach queue list|show|retry|delete}, SPEC §9). An entry
 * that a worker holds right now (SENDING with a live lease) is left alone: its outcome belongs to the worker.
 */
public final class QueueAdmin {
    public static final List<String> STATES = List.of("QUEUED", "SENDING", "DEFERRED", "DELIVERED", "FAILED");
    public static final String DELETED_RULE = "operator";
    public static final String DELETED = "deleted by operator";
    private static final String COLUMNS = "SELECT q.id, q.message_id, q.state, q.attempts, q.next_attempt_at,"
            + " q.recipient, q.last_error, q.created_at, q.updated_at, m.route, m.status FROM outbound_queue q"
            + " JOIN messages m ON m.id = q.message_id";

    /** One queue entry with its archive status. */
    public record Entry(long id, long messageId, String state, int attempts, Instant nextAttemptAt, String recipient,
                        String lastError, Instant createdAt, Instant updatedAt, String route, String status) {
    }

    public enum Outcome { DONE, NOT_FOUND, BUSY, FINISHED }

    private final Jdbc jdbc;

    public QueueAdmin(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public List<Entry> list(String state) {
        return state == null ? jdbc.list(COLUMNS + " ORDER BY q.id", QueueAdmin::entry)
                : jdbc.list(COLUMNS + " WHERE q.state = ? ORDER BY q.id", QueueAdmin::entry, state);
    }

    public Optional<Entry> show(long id) {
        return jdbc.one(COLUMNS + " WHERE q.id = ?", QueueAdmin::entry, id);
    }

    /** Due now, whatever the back-off said; a failed entry gets another chance (attempts are kept). */
    public Outcome retry(long id, Instant now) {
        return jdbc.inTransaction(() -> {
            Optional<Entry> e = show(id);
            if (e.isEmpty()) {
                return Outcome.NOT_FOUND;
            }
            if (e.get().state().equals("DELIVERED")) {
                return Outcome.FINISHED;
            }
            int n = jdbc.update("UPDATE outbound_queue SET state = 'QUEUED', next_attempt_at = ?, updated_at = ?"
                    + " WHERE id = ? AND state IN ('QUEUED', 'DEFERRED', 'FAILED')", now, now, id);
            if (n == 0) {
                return Outcome.BUSY;
            }
            jdbc.update("UPDATE messages SET status = 'QUEUED' WHERE id = ?", e.get().messageId());
            return Outcome.DONE;
        });
    }

    /** Removes an entry that was not delivered; its archive row stays, FAILED, with the reason as an event. */
    public Outcome delete(long id, Instant now) {
        return jdbc.inTransaction(() -> {
            Optional<Entry> e = show(id);
            if (e.isEmpty()) {
                return Outcome.NOT_FOUND;
            }
            if (e.get().state().equals("DELIVERED")) {
                return Outcome.FINISHED;
            }
            int n = jdbc.update("DELETE FROM outbound_queue WHERE id = ? AND state IN ('QUEUED', 'DEFERRED', 'FAILED')",
                    id);
            if (n == 0) {
                return Outcome.BUSY;
            }
            jdbc.update("UPDATE messages SET status = 'FAILED' WHERE id = ?", e.get().messageId());
            jdbc.update("INSERT INTO policy_events (message_id, rule, detail, created_at) VALUES (?, ?, ?, ?)",
                    e.get().messageId(), DELETED_RULE, DELETED, now);
            return Outcome.DONE;
        });
    }

    private static Entry entry(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Entry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4),
                Jdbc.instant(rs, "next_attempt_at"), rs.getString(6), rs.getString(7), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"), rs.getString(10), rs.getString(11));
    }
}
