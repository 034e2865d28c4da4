package org.postfach.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.postfach.archive.ArchiveStore;
import org.postfach.archive.ArchivedMessage;
import org.postfach.archive.ChainHash;
import org.postfach.archive.Page;
import org.postfach.archive.Query;
import org.postfach.archive.Report;

/** The archive's reads, purge, holds and reports (SPEC §8, §9); the chain itself is written with each message. */
public final class JdbcArchiveStore implements ArchiveStore {
    private static final String COLUMNS = "id, received_at, route, status, seller_id, buyer_id, buyer_alias, order_id,"
            + " envelope_from, envelope_to, subject, relay_message_id, response_required, responded_at,"
            + " no_response_needed, legal_hold, purged_at, blocked_rule, related_id, size_bytes, attachment_count";
    /** How many messages one transaction of a purge takes at most. */
    static final int PURGE_BATCH = 500;
    /**
     * Messages past retention, up to a batch: a range of the index messages_purge. In no order: with ORDER BY
     * received_at H2 read and sorted every due row for each batch (30,000 due took 137 s in batches against 21 s).
     */
    static final String DUE_FOR_PURGE = "SELECT id FROM messages WHERE purged_at IS NULL AND received_at < ?"
            + " AND legal_hold = FALSE LIMIT ? FOR UPDATE";
    /** A message's latest queue entry, through an index on message_id (see migration.V8__queue_message_index). */
    static final String DELIVERY_OF = "SELECT state, attempts, next_attempt_at, last_error FROM outbound_queue"
            + " WHERE message_id = ? ORDER BY id DESC LIMIT 1";
    private final Jdbc jdbc;
    private final int batch;

    public JdbcArchiveStore(Jdbc jdbc) {
        this(jdbc, PURGE_BATCH);
    }

    /** {@code purgeBatch}: how many messages one transaction of a purge takes at most (tests use small ones). */
    JdbcArchiveStore(Jdbc jdbc, int purgeBatch) {
        this.jdbc = jdbc;
        this.batch = purgeBatch;
    }

    @Override
    public List<ChainEntry> chain(long afterId, int limit) {
        List<Object[]> rows = jdbc.list("SELECT id, entry_hash, prev_hash, purged_at, received_at, route, seller_id,"
                        + " envelope_from, envelope_to, relay_message_id, subject FROM messages WHERE id > ?"
                        + " ORDER BY id LIMIT ?",
                rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4) != null,
                        Jdbc.instant(rs, "received_at"), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getString(9), rs.getString(10), rs.getString(11)}, afterId, limit);
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, Map<String, byte[]>> bodies = new HashMap<>();
        long from = (long) rows.get(0)[0];
        long to = (long) rows.get(rows.size() - 1)[0];
        jdbc.list("SELECT message_id, form, " + Bodies.COLUMNS + " FROM message_bodies"
                        + " WHERE message_id BETWEEN ? AND ?",
                rs -> bodies.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(rs.getString(2),
                        jdbc.bodies().read(rs, 3)), from, to);
        List<ChainEntry> out = new ArrayList<>();
        for (Object[] r : rows) {
            long id = (long) r[0];
            Map<String, byte[]> b = bodies.getOrDefault(id, Map.of());
            out.add(new ChainEntry(id, (String) r[1], (String) r[2], (boolean) r[3], new ChainHash.Content(id,
                    (Instant) r[4], (String) r[5], (String) r[6], (String) r[7], (String) r[8], (String) r[9],
                    (String) r[10], ChainHash.hex(b.getOrDefault("ORIGINAL", new byte[0])),
                    ChainHash.hex(b.get("DELIVERED")))));
        }
        return out;
    }

    @Override
    public ChainEntry head() {
        return jdbc.one("SELECT last_id, last_hash FROM archive_head WHERE id = 1",
                rs -> new ChainEntry(rs.getLong(1), rs.getString(2), null, false, null)).orElseThrow();
    }

    /**
     * SPEC §8: the bodies and the personal fields of messages past retention go; the row, its hashes and its
     * events stay for the chain. Bodies in files are removed after the commit (their ranges zeroed, files no row
     * names deleted), through a journal ({@link Bodies}), so that a crash in between cannot leave them behind.
     *
     * <p>The messages due are found through the index on (purged_at, received_at), so an hourly purge with nothing
     * due reads nothing of the archive, and they go {@link #PURGE_BATCH} at a time, each batch a transaction of its
     * own: the first purge after a long pause (or of an archive imported with old dates) never holds millions of
     * rows in one transaction.
     */
    @Override
    public int purge(Instant before, Instant now) {
        int total = 0;
        while (true) {
            int purged = purgeBatch(before, now);
            total += purged;
            if (purged < batch) {
                return total;
            }
        }
    }

    private int purgeBatch(Instant before, Instant now) {
        Bodies files = jdbc.bodies();
        synchronized (files) {
            BodyRecovery.finishPurge(files, jdbc);
            List<BodyRange> ranges = new ArrayList<>();
            int purged = jdbc.inTransaction(() -> {
                // locked, so that a legal hold set meanwhile waits for this batch and then holds a purged row
                List<Long> ids = jdbc.list(DUE_FOR_PURGE, rs -> rs.getLong(1), before, batch);
                if (ids.isEmpty()) {
                    return 0;
                }
                String in = " IN (" + Jdbc.marks(ids.size()) + ")";
                Object[] params = ids.toArray();
                if (files.inFiles()) {
                    ranges.addAll(jdbc.list("SELECT DISTINCT file_name, file_offset, file_length FROM message_bodies"
                            + " WHERE file_name IS NOT NULL AND message_id" + in, BodyRange::of, params)
                            .stream().distinct().toList());
                    files.purging(ranges);
                }
                jdbc.update("DELETE FROM message_bodies WHERE message_id" + in, params);
                jdbc.update("DELETE FROM outbound_queue WHERE state IN ('DELIVERED', 'FAILED') AND message_id" + in,
                        params);
                Object[] update = new Object[ids.size() + 1];
                update[0] = now;
                System.arraycopy(params, 0, update, 1, params.length);
                return jdbc.update("UPDATE messages SET purged_at = ?, subject = NULL, search_text = NULL,"
                        + " envelope_from = '', envelope_to = '', delivered_to = NULL, original_message_id = NULL"
                        + " WHERE id" + in, update);
            });
            files.purged(ranges, jdbc);
            return purged;
        }
    }

    @Override
    public Optional<ArchivedMessage> message(long id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM messages WHERE id = ?", this::row, id)
                .map(m -> withDetails(m));
    }

    @Override
    public Optional<ArchivedMessage> messageByRelayId(String relayMessageId) {
        return jdbc.one("SELECT " + COLUMNS + " FROM messages WHERE relay_message_id = ?", this::row,
                relayMessageId.toLowerCase(java.util.Locale.ROOT)).map(m -> withDetails(m));
    }

    @Override
    public List<ArchivedMessage> awaitingResponse(String sellerId, int limit) {
        // the (seller_id, response_required, ...) index of V4; a seller's awaiting messages are few
        return jdbc.list("SELECT " + COLUMNS + " FROM messages WHERE seller_id = ? AND response_required = TRUE"
                + " AND route = 'buyer-to-seller' ORDER BY id LIMIT ?", this::row, sellerId, limit);
    }

    @Override
    public List<ArchivedMessage> reported(String sellerId, int limit) {
        return jdbc.list("SELECT " + COLUMNS + " FROM messages WHERE seller_id = ?"
                + " AND id IN (SELECT message_id FROM reports) ORDER BY id DESC LIMIT ?", this::row, sellerId, limit);
    }

    private ArchivedMessage withDetails(ArchivedMessage m) {
        List<ArchivedMessage.Event> events = jdbc.list("SELECT rule, detail, created_at FROM policy_events"
                        + " WHERE message_id = ? ORDER BY id",
                rs -> new ArchivedMessage.Event(rs.getString(1), rs.getString(2), Jdbc.instant(rs, "created_at")),
                m.id());
        ArchivedMessage.Delivery delivery = jdbc.one(DELIVERY_OF,
                rs -> new ArchivedMessage.Delivery(rs.getString(1), rs.getInt(2), Jdbc.instant(rs, "next_attempt_at"),
                        rs.getString(4)), m.id()).orElse(null);
        return new ArchivedMessage(m.id(), m.receivedAt(), m.route(), m.status(), m.sellerId(), m.buyerId(),
                m.buyerAlias(), m.orderId(), m.envelopeFrom(), m.envelopeTo(), m.subject(), m.relayMessageId(),
                m.responseRequired(), m.respondedAt(), m.noResponseNeeded(), m.legalHold(), m.purgedAt(),
                m.blockedRule(), m.relatedId(), m.sizeBytes(), events, delivery, m.attachments());
    }

    private ArchivedMessage row(ResultSet rs) throws SQLException {
        Long related = rs.getObject("related_id") == null ? null : rs.getLong("related_id");
        return new ArchivedMessage(rs.getLong("id"), Jdbc.instant(rs, "received_at"), rs.getString("route"),
                rs.getString("status"), rs.getString("seller_id"), rs.getString("buyer_id"), rs.getString("buyer_alias"),
                rs.getString("order_id"), rs.getString("envelope_from"), rs.getString("envelope_to"),
                rs.getString("subject"), rs.getString("relay_message_id"), rs.getBoolean("response_required"),
                Jdbc.instant(rs, "responded_at"), rs.getBoolean("no_response_needed"), rs.getBoolean("legal_hold"),
                Jdbc.instant(rs, "purged_at"), rs.getString("blocked_rule"), related,
                rs.getLong("size_bytes"), List.of(), null, rs.getInt("attachment_count"));
    }

    @Override
    public Optional<byte[]> raw(long id, String form) {
        return jdbc.one("SELECT " + Bodies.COLUMNS + " FROM message_bodies WHERE message_id = ? AND form = ?",
                rs -> jdbc.bodies().read(rs, 1), id, form.toUpperCase(Locale.ROOT));
    }

    @Override
    public Page search(Query q) {
        Statement st = searchStatement(q);
        List<ArchivedMessage> rows = jdbc.list(st.sql(), this::row, st.params());
        Long next = null;
        if (rows.size() > q.limit()) {
            rows = rows.subList(0, q.limit());
            next = rows.get(rows.size() - 1).id();
        }
        return new Page(List.copyOf(rows), next);
    }

    /** An SQL text and its parameters. */
    record Statement(String sql, Object[] params) {
    }

    /** The query of {@link #search}: the newest messages that pass every filter given, one more than a page. */
    Statement searchStatement(Query q) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        add(where, params, " AND seller_id = ?", q.sellerId());
        String alias = q.alias() == null ? null : q.alias().toLowerCase(Locale.ROOT);
        // Every message sent to a buyer alias has it as its buyer_alias (the routes to buyers set both), so for a
        // buyer alias the index on buyer_alias answers alone; with the OR, no index can, and the search read the
        // archive backwards until it had a page (1.7 s at 30,000 messages, bench/RESULTS.md). A seller's alias is
        // only ever an envelope recipient.
        if (alias != null && jdbc.one("SELECT 1 FROM buyer_aliases WHERE alias = ?", rs -> 1, alias).isPresent()) {
            add(where, params, " AND buyer_alias = ?", alias);
        } else {
            add(where, params, " AND (buyer_alias = ? OR envelope_to = ?)", alias, alias);
        }
        add(where, params, " AND order_id = ?", q.orderId());
        add(where, params, " AND received_at >= ?", q.since());
        add(where, params, " AND received_at < ?", q.until());
        add(where, params, " AND status = ?", q.status());
        add(where, params, " AND route = ?", q.route());
        add(where, params, " AND response_required = ?", q.responseRequired());
        add(where, params, " AND id < ?", q.before());
        if (q.text() != null) {
            String like = "%" + q.text().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%";
            where.append(" AND (LOWER(subject) LIKE ? ESCAPE '\\' OR LOWER(search_text) LIKE ? ESCAPE '\\')");
            params.add(like);
            params.add(like);
        }
        params.add(q.limit() + 1);
        return new Statement("SELECT " + COLUMNS + " FROM messages" + where + " ORDER BY id DESC LIMIT ?",
                params.toArray());
    }

    private static void add(StringBuilder where, List<Object> params, String clause, Object... values) {
        if (values[0] != null) {
            where.append(clause);
            Collections.addAll(params, values);
        }
    }

    @Override
    public boolean setLegalHold(long id, boolean hold) {
        return jdbc.update("UPDATE messages SET legal_hold = ? WHERE id = ?", hold, id) == 1;
    }

    @Override
    public boolean markNoResponseNeeded(long id, Instant now) {
        return jdbc.update("UPDATE messages SET no_response_needed = TRUE, response_required = FALSE"
                + " WHERE id = ? AND route = 'buyer-to-seller'", id) == 1;
    }

    @Override
    public long report(long messageId, String reason, String note, Instant now) {
        return jdbc.insert("INSERT INTO reports (message_id, reason, note, created_at) VALUES (?, ?, ?, ?)",
                messageId, reason, note, now);
    }

    @Override
    public List<Report> reports(int limit) {
        return jdbc.list("SELECT id, message_id, reason, note, created_at FROM reports ORDER BY id DESC LIMIT ?",
                rs -> new Report(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        Jdbc.instant(rs, "created_at")), limit);
    }

    @Override
    public Activity activity(String sellerId, Instant since) {
        long awaiting = jdbc.one("SELECT COUNT(*) FROM messages WHERE seller_id = ? AND response_required = TRUE",
                rs -> rs.getLong(1), sellerId).orElse(0L);
        List<Asked> asked = jdbc.list("SELECT received_at, responded_at, response_required FROM messages"
                        + " WHERE seller_id = ? AND route = 'buyer-to-seller' AND received_at >= ?"
                        + " AND no_response_needed = FALSE",
                rs -> new Asked(Jdbc.instant(rs, "received_at"), Jdbc.instant(rs, "responded_at"), rs.getBoolean(3)),
                sellerId, since);
        Map<String, Long> blocked = new java.util.TreeMap<>();
        jdbc.list("SELECT blocked_rule, COUNT(*) FROM messages WHERE seller_id = ? AND status = 'BLOCKED'"
                        + " AND received_at >= ? GROUP BY blocked_rule",
                rs -> blocked.put(rs.getString(1), rs.getLong(2)), sellerId, since);
        Map<String, Long> events = new java.util.TreeMap<>();
        jdbc.list("SELECT e.rule, COUNT(*) FROM policy_events e JOIN messages m ON m.id = e.message_id"
                        + " WHERE m.seller_id = ? AND e.created_at >= ? GROUP BY e.rule",
                rs -> events.put(rs.getString(1), rs.getLong(2)), sellerId, since);
        return new Activity(awaiting, asked, blocked, events);
    }
}
