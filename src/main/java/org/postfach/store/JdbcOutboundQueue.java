package org.postfach.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.postfach.queue.OutboundQueue;
import org.postfach.queue.QueueEntry;

/**
 * The queue table. A lease is claimed with a conditional UPDATE, so two workers or nodes never hold one entry
 * at the same time, on H2 and PostgreSQL alike.
 */
public final class JdbcOutboundQueue implements OutboundQueue {
    private static final String DUE = "((state IN ('QUEUED', 'DEFERRED') AND next_attempt_at <= ?)"
            + " OR (state = 'SENDING' AND lease_until < ?))";
    private final Jdbc jdbc;

    public JdbcOutboundQueue(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<QueueEntry> lease(String owner, int max, Instant now, Duration leaseFor) {
        // One query per state, each a range of the (state, next_attempt_at) index: a single query with OR made
        // both engines walk every DELIVERED row the table keeps for the archive, on every poll.
        List<long[]> due = new ArrayList<>();
        for (String state : List.of("QUEUED", "DEFERRED")) {
            due.addAll(jdbc.list("SELECT id, next_attempt_at FROM outbound_queue WHERE state = ?"
                            + " AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
                    rs -> new long[] {rs.getLong(1), Jdbc.instant(rs, "next_attempt_at").toEpochMilli()},
                    state, now, max));
        }
        due.addAll(jdbc.list("SELECT id, lease_until FROM outbound_queue WHERE state = 'SENDING'"
                        + " AND lease_until < ? ORDER BY lease_until, id LIMIT ?",
                rs -> new long[] {rs.getLong(1), Long.MIN_VALUE}, now, max)); // expired leases first
        List<Long> candidates = due.stream()
                .sorted(java.util.Comparator.<long[]>comparingLong(d -> d[1]).thenComparingLong(d -> d[0]))
                .limit(max).map(d -> d[0]).toList();
        if (candidates.isEmpty()) {
            return List.of();
        }
        return jdbc.groupedClaims(() -> claim(candidates, owner, now, leaseFor)); // the workers share commits
    }

    private List<QueueEntry> claim(List<Long> candidates, String owner, Instant now, Duration leaseFor) {
        List<Long> claimed = new ArrayList<>();
        for (long id : candidates) {
            if (jdbc.update("UPDATE outbound_queue SET state = 'SENDING', lease_owner = ?, lease_until = ?,"
                    + " attempts = attempts + 1, updated_at = ? WHERE id = ? AND " + DUE,
                    owner, now.plus(leaseFor), now, id, now, now) == 1) {
                claimed.add(id);
            }
        }
        if (claimed.isEmpty()) {
            return List.of();
        }
        // an entry queued before schema version 5 has no size: its delivered form is measured instead
        String marks = Jdbc.marks(claimed.size());
        List<QueueEntry> leased = new ArrayList<>(jdbc.list("SELECT id, message_id, envelope_from, recipient,"
                        + " attempts, created_at, COALESCE(size_bytes, (SELECT OCTET_LENGTH(b.content)"
                        + " FROM message_bodies b WHERE b.message_id = outbound_queue.message_id"
                        + " AND b.form = 'DELIVERED')) FROM outbound_queue WHERE id IN (" + marks + ")",
                rs -> new QueueEntry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getInt(5), Jdbc.instant(rs, "created_at"), rs.getLong(7)), claimed.toArray()));
        leased.sort(java.util.Comparator.comparingInt(e -> claimed.indexOf(e.id()))); // the order they were due
        return leased;
    }

    @Override
    public byte[] content(QueueEntry e) {
        return jdbc.one("SELECT " + Bodies.COLUMNS + " FROM message_bodies"
                        + " WHERE message_id = ? AND form = 'DELIVERED'",
                rs -> jdbc.bodies().read(rs, 1), e.messageId()).orElseThrow(() -> new IllegalStateException(
                        "message " + e.messageId() + " has no delivered form"));
    }

    private void finish(QueueEntry e, String owner, String state, Instant next, String diagnostic, Instant now) {
        jdbc.grouped(0, () -> { // the workers' outcomes share commits
            int n = jdbc.update("UPDATE outbound_queue SET state = ?, next_attempt_at = ?, lease_owner = NULL,"
                            + " lease_until = NULL, last_error = ?, updated_at = ? WHERE id = ? AND lease_owner = ?",
                    state, next, diagnostic == null ? null : truncate(diagnostic), now, e.id(), owner);
            if (n == 1) {
                jdbc.update("UPDATE messages SET status = ? WHERE id = ?", state, e.messageId());
            }
            return null;
        });
    }

    @Override
    public void delivered(QueueEntry e, String owner, Instant now) {
        finish(e, owner, "DELIVERED", now, null, now);
    }

    @Override
    public void deferred(QueueEntry e, String owner, Instant nextAttempt, String diagnostic, Instant now) {
        finish(e, owner, "DEFERRED", nextAttempt, diagnostic, now);
    }

    @Override
    public void failed(QueueEntry e, String owner, String diagnostic, Instant now) {
        finish(e, owner, "FAILED", now, diagnostic, now);
    }

    @Override
    public int recover(String owner) {
        return jdbc.update("UPDATE outbound_queue SET state = 'QUEUED', lease_owner = NULL, lease_until = NULL"
                + " WHERE state = 'SENDING' AND lease_owner = ?", owner);
    }

    @Override
    public void release(QueueEntry e, String owner) {
        jdbc.update("UPDATE outbound_queue SET state = 'QUEUED', lease_owner = NULL, lease_until = NULL,"
                + " attempts = attempts - 1 WHERE id = ? AND lease_owner = ?", e.id(), owner);
    }

    private static String truncate(String s) {
        return s.length() <= 1000 ? s : s.substring(0, 1000);
    }

    /** Entries in this state now: the queue depth of {@code /metrics}. */
    public long depth(String state) {
        return jdbc.one("SELECT COUNT(*) FROM outbound_queue WHERE state = ?", rs -> rs.getLong(1), state).orElse(0L);
    }
}
