package org.postfach.testing;

import java.util.List;
import org.postfach.Relay;
import org.postfach.store.Database;

/** Reads a running relay's archive straight from its database, for assertions the API does not offer yet. */
public final class Archive implements AutoCloseable {
    private final Database db;

    public record Row(long id, String route, String status, String blockedRule, String buyerAlias,
                      String envelopeTo, String deliveredTo) {
    }

    /** One outbound queue entry as the delivery workers left it. */
    public record QueueRow(long id, long messageId, String state, int attempts, java.time.Instant nextAttemptAt,
                           String lastError) {
    }

    public Archive(Relay relay) {
        this(relay.settings().storageUrl());
    }

    public Archive(String storageUrl) {
        this.db = Database.open(storageUrl, 2);
    }

    public java.util.Optional<QueueRow> queueEntry(long messageId) {
        return db.jdbc().one("SELECT id, message_id, state, attempts, next_attempt_at, last_error FROM outbound_queue"
                        + " WHERE message_id = ?",
                rs -> new QueueRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4),
                        org.postfach.store.Jdbc.instant(rs, "next_attempt_at"), rs.getString(6)), messageId);
    }

    public String status(long messageId) {
        return db.jdbc().one("SELECT status FROM messages WHERE id = ?", rs -> rs.getString(1), messageId)
                .orElse(null);
    }

    /** Makes a deferred entry due now, as {@code postfach queue retry} does. */
    public void makeDue(long messageId) {
        db.jdbc().update("UPDATE outbound_queue SET next_attempt_at = ? WHERE message_id = ?",
                java.time.Instant.now(), messageId);
    }

    /** Archive rows of the notices the relay wrote, related to {@code messageId}. */
    public List<Row> noticesAbout(long messageId) {
        return db.jdbc().list("SELECT id, route, status, blocked_rule, buyer_alias, envelope_to, delivered_to"
                        + " FROM messages WHERE route = 'notice' AND related_id = ? ORDER BY id",
                rs -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7)), messageId);
    }

    public List<Row> messages() {
        return db.jdbc().list("SELECT id, route, status, blocked_rule, buyer_alias, envelope_to, delivered_to"
                        + " FROM messages ORDER BY id",
                rs -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7)));
    }

    /** "rule: detail" for every policy event of a message, in order. */
    public List<String> events(long messageId) {
        return db.jdbc().list("SELECT rule, detail FROM policy_events WHERE message_id = ? ORDER BY id",
                rs -> rs.getString(1) + ": " + rs.getString(2), messageId);
    }

    public int queued(long messageId) {
        return db.jdbc().one("SELECT COUNT(*) FROM outbound_queue WHERE message_id = ?", rs -> rs.getInt(1),
                messageId).orElse(0);
    }

    public List<String> forms(long messageId) {
        return db.jdbc().list("SELECT form FROM message_bodies WHERE message_id = ? ORDER BY form",
                rs -> rs.getString(1), messageId);
    }

    /** The seller's count towards today's daily limit (UTC). */
    public int sentToday(String sellerId) {
        return db.jdbc().one("SELECT sent FROM daily_counts WHERE seller_id = ? AND utc_day = ?", rs -> rs.getInt(1),
                sellerId, java.time.LocalDate.now(java.time.ZoneOffset.UTC)).orElse(0);
    }

    @Override
    public void close() {
        db.close();
    }
}
