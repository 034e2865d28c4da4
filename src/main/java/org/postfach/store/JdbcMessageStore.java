package org.postfach.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postfach.archive.ChainHash;
import org.postfach.intake.MessageStore;
import org.postfach.intake.NewMessage;
import org.postfach.policy.PolicyEvent;
import org.postfach.policy.SendLog;
import org.postfach.policy.ThreadLookup;
import org.postfach.policy.Quota;
import org.postfach.queue.HandOff;
import org.postfach.queue.QueueEntry;
import org.postfach.policy.QuotaExceededException;

/**
 * Archive rows, raw forms, policy events, queue entries and daily-limit claims of accepted messages. Each DATA is
 * all or nothing (a savepoint of its own); the DATAs of concurrent sessions share one commit ({@link GroupCommit}).
 */
public final class JdbcMessageStore implements MessageStore, ThreadLookup, SendLog {
    private final Jdbc jdbc;
    /** Daily-count rows known to exist (rows are never deleted): the check before each claim is then skipped. */
    private final java.util.Set<String> countRows = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public JdbcMessageStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Long> save(List<NewMessage> messages, List<Quota> quotas, HandOff.Ticket ticket) {
        quotas.forEach(this::ensureCountRow);
        Bodies bodies = jdbc.bodies();
        // before the batch (it runs one at a time): the hashes, and on H2 the file of each message, synced
        List<Hashed> hashed = new ArrayList<>();
        List<Bodies.Kept> kept = new ArrayList<>();
        boolean stored = false;
        try {
            for (NewMessage m : messages) {
                Bodies.Kept k = bodies.keep(m.original(), m.delivered(), m.receivedAt());
                if (k != null) {
                    kept.add(k);
                }
                hashed.add(new Hashed(m, k));
            }
            long bytes = kept.isEmpty() ? messages.stream().mapToLong(m -> m.original().length
                    + (m.delivered() == null ? 0 : m.delivered().length)).sum() : 0;
            List<Long> ids = jdbc.grouped(bytes, () -> {
                for (Quota q : quotas) {
                    // SPEC §4: one conditional UPDATE takes the row lock and checks the limit; a concurrent
                    // session waits for this commit and then sees the new count, so two can never take the last
                    // slot.
                    int taken = jdbc.update("UPDATE daily_counts SET sent = sent + ?"
                                    + " WHERE seller_id = ? AND utc_day = ? AND sent + ? <= ?",
                            q.count(), q.sellerId(), q.utcDay(), q.count(), q.limit());
                    if (taken == 0) {
                        throw new QuotaExceededException(q);
                    }
                }
                List<Long> out = new ArrayList<>();
                for (Hashed m : hashed) {
                    out.add(insert(m, ticket));
                }
                return out;
            });
            stored = true;
            return ids;
        } catch (StoreException e) {
            stored = e.isInDoubt(); // committed but maybe not on disk: its rows may come back, so must its files
            throw e;
        } finally {
            if (stored) {
                bodies.committed(kept);
            } else {
                bodies.discard(kept);
            }
        }
    }

    /**
     * A message with the hashes of its raw forms, worked out before the archive head is locked, and its file when
     * the forms are kept in one ({@link Bodies}).
     */
    private record Hashed(NewMessage m, String originalHash, String deliveredHash, Bodies.Kept file) {
        Hashed(NewMessage m, Bodies.Kept file) {
            this(m, ChainHash.hex(m.original()), ChainHash.hex(m.delivered()), file);
        }
    }

    /** A message stored on its own (notices, reports): its forms go into the table, inside the transaction. */
    private long insert(NewMessage m) {
        return insert(new Hashed(m, null), null);
    }

    /** The archive row, its raw forms, its policy events and, when queued, its queue entry. */
    private long insert(Hashed h, HandOff.Ticket ticket) {
        NewMessage m = h.m();
        // SPEC §8: the head's row lock orders concurrent commits into one chain. Every archive row is inserted
        // here under that lock, so its id is the head's next one and the row is written with its hash at once.
        // The lock is taken by the UPDATE that counts the id up (H2 parses a SELECT ... FOR UPDATE each time).
        if (jdbc.update("UPDATE archive_head SET last_id = last_id + 1 WHERE id = 1") != 1) {
            throw new IllegalStateException("the archive head row is missing");
        }
        Object[] head = jdbc.one("SELECT last_id, last_hash FROM archive_head WHERE id = 1",
                rs -> new Object[] {rs.getLong(1), rs.getString(2)}).orElseThrow();
        long id = (long) head[0];
        String previous = (String) head[1];
        String hash = ChainHash.of(previous, new ChainHash.Content(id, m.receivedAt(), m.route(), m.sellerId(),
                m.envelopeFrom(), m.envelopeTo(), m.relayMessageId(), m.subject(), h.originalHash(),
                h.deliveredHash()));
        jdbc.update("INSERT INTO messages (id, received_at, route, status, seller_id, buyer_id,"
                        + " buyer_alias, order_id, envelope_from, envelope_to, delivered_to, subject,"
                        + " relay_message_id, original_message_id, sender_party, response_required,"
                        + " size_bytes, blocked_rule, search_text, entry_hash, prev_hash, attachment_count)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, m.receivedAt(), m.route(), m.status(), m.sellerId(), m.buyerId(), m.buyerAlias(), m.orderId(),
                m.envelopeFrom(), m.envelopeTo(), m.deliveredTo(), m.subject(), m.relayMessageId(),
                m.originalMessageId(), m.senderParty(), m.responseRequired(), (long) m.original().length,
                m.blockedRule(), m.text(), hash, previous, m.attachments());
        jdbc.update("UPDATE archive_head SET last_hash = ? WHERE id = 1", hash);
        for (PolicyEvent e : m.events()) {
            jdbc.update("INSERT INTO policy_events (message_id, rule, detail, created_at) VALUES (?, ?, ?, ?)",
                    id, e.rule(), e.detail(), m.receivedAt());
        }
        Bodies.Kept f = h.file();
        if (f == null) {
            jdbc.update("INSERT INTO message_bodies (message_id, form, content) VALUES (?, 'ORIGINAL', ?)",
                    id, m.original());
            if (m.delivered() != null) {
                jdbc.update("INSERT INTO message_bodies (message_id, form, content) VALUES (?, 'DELIVERED', ?)",
                        id, m.delivered());
            }
        } else {
            String sql = "INSERT INTO message_bodies (message_id, form, content, file_name, file_offset,"
                    + " file_length) VALUES (?, ?, ?, ?, ?, ?)";
            jdbc.update(sql, id, "ORIGINAL", null, f.name(), f.originalOffset(), f.originalLength());
            if (m.delivered() != null) { // its header block here, its body from the file (see Bodies.Kept)
                jdbc.update(sql, id, "DELIVERED", f.deliveredHead(), f.name(), f.deliveredOffset(),
                        f.deliveredLength());
            }
        }
        if (NewMessage.QUEUED.equals(m.status())) {
            // handed to this node's workers (a ticket): written as a lease of theirs, as a claim would leave it
            long size = m.delivered() == null ? 0L : m.delivered().length;
            long entry = jdbc.insert("INSERT INTO outbound_queue (message_id, envelope_from, recipient, state,"
                            + " attempts, next_attempt_at, lease_owner, lease_until, created_at, updated_at,"
                            + " size_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    id, m.bounceAddress(), m.deliveredTo(), ticket == null ? "QUEUED" : "SENDING",
                    ticket == null ? 0 : 1, m.receivedAt(), ticket == null ? null : ticket.owner(),
                    ticket == null ? null : ticket.leaseUntil(), m.receivedAt(), m.receivedAt(), size);
            if (ticket != null) {
                ticket.add(new QueueEntry(entry, id, m.bounceAddress(), m.deliveredTo(), 1, m.receivedAt(), size),
                        m.delivered());
            }
        }
        if (m.senderParty().startsWith("seller:") && m.buyerAlias() != null
                && NewMessage.QUEUED.equals(m.status())) {
            // SPEC §8: the seller's answer to this buyer alias ends "response required" (a blocked one
            // never reached the buyer, so it answers nothing).
            jdbc.update("UPDATE messages SET response_required = FALSE, responded_at = ?"
                            + " WHERE seller_id = ? AND buyer_alias = ? AND response_required = TRUE",
                    m.receivedAt(), m.sellerId(), m.buyerAlias());
        }
        return id;
    }

    /** The day's row exists before the claim, so the claim is a plain UPDATE on both engines. */
    private void ensureCountRow(Quota q) {
        String key = q.sellerId() + "|" + q.utcDay();
        if (countRows.contains(key)) {
            return;
        }
        try {
            jdbc.inTransaction(() -> jdbc.one("SELECT sent FROM daily_counts WHERE seller_id = ? AND utc_day = ?",
                    rs -> rs.getInt(1), q.sellerId(), q.utcDay()).isPresent() ? 0
                    : jdbc.update("INSERT INTO daily_counts (seller_id, utc_day, sent) VALUES (?, ?, 0)",
                            q.sellerId(), q.utcDay()));
        } catch (StoreException e) {
            if (!e.isUniqueViolation()) {
                throw e;
            }
            // another session created the row first: just as good
        }
        if (countRows.size() > 10_000) {
            countRows.clear(); // yesterday's keys are never asked for again
        }
        countRows.add(key);
    }

    @Override
    public boolean sentByBuyer(List<String> messageIds, String buyerId, String sellerId) {
        List<String> ids = messageIds.stream().map(String::toLowerCase).distinct().limit(100).toList();
        if (ids.isEmpty()) {
            return false;
        }
        String marks = Jdbc.marks(ids.size());
        List<Object> params = new ArrayList<>(ids);
        params.add("buyer:" + buyerId);
        params.add(sellerId);
        return jdbc.one("SELECT COUNT(*) FROM messages WHERE relay_message_id IN (" + marks + ")"
                        + " AND sender_party = ? AND seller_id = ? AND route = 'buyer-to-seller'",
                rs -> rs.getLong(1), params.toArray()).orElse(0L) > 0;
    }

    @Override
    public int sentOn(String sellerId, java.time.LocalDate utcDay) {
        return jdbc.one("SELECT sent FROM daily_counts WHERE seller_id = ? AND utc_day = ?",
                rs -> rs.getInt(1), sellerId, utcDay).orElse(0);
    }

    @Override
    public int ordersSince(String sellerId, java.time.Instant since) {
        return jdbc.one("SELECT COUNT(*) FROM orders WHERE seller_id = ? AND placed_at >= ?",
                rs -> rs.getInt(1), sellerId, since).orElse(0);
    }

    @Override
    public Optional<SentMessage> sent(String relayId) {
        return jdbc.one("SELECT id, route, status, seller_id, sender_party, envelope_from, envelope_to, subject,"
                        + " received_at FROM messages WHERE relay_message_id = ?",
                rs -> new SentMessage(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), Jdbc.instant(rs, "received_at")),
                relayId.toLowerCase());
    }

    @Override
    public Optional<SentMessage> sent(long id) {
        return jdbc.one("SELECT id, route, status, seller_id, sender_party, envelope_from, envelope_to, subject,"
                        + " received_at FROM messages WHERE id = ?",
                rs -> new SentMessage(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), Jdbc.instant(rs, "received_at")),
                id);
    }

    @Override
    public void saveNotice(long originalId, PolicyEvent event, NewMessage notice, java.time.Instant now) {
        jdbc.inTransaction(() -> {
            jdbc.update("INSERT INTO policy_events (message_id, rule, detail, created_at) VALUES (?, ?, ?, ?)",
                    originalId, event.rule(), event.detail(), now);
            if (notice != null) {
                long noticeId = insert(notice);
                jdbc.update("UPDATE messages SET related_id = ? WHERE id = ?", originalId, noticeId);
            }
            return null;
        });
    }

    @Override
    public boolean hasEvent(long messageId, String rule) {
        return jdbc.one("SELECT COUNT(*) FROM policy_events WHERE message_id = ? AND rule = ?",
                rs -> rs.getLong(1), messageId, rule).orElse(0L) > 0;
    }

    @Override
    public void saveReport(NewMessage report, Long originalId, PolicyEvent event, String newStatus,
                           NewMessage notice) {
        jdbc.inTransaction(() -> {
            long id = insert(report);
            if (originalId != null) {
                jdbc.update("UPDATE messages SET related_id = ? WHERE id = ?", originalId, id);
                jdbc.update("INSERT INTO policy_events (message_id, rule, detail, created_at) VALUES (?, ?, ?, ?)",
                        originalId, event.rule(), event.detail(), report.receivedAt());
                if (newStatus != null) {
                    jdbc.update("UPDATE messages SET status = ? WHERE id = ?", newStatus, originalId);
                }
            }
            if (notice != null) {
                long noticeId = insert(notice);
                if (originalId != null) {
                    jdbc.update("UPDATE messages SET related_id = ? WHERE id = ?", originalId, noticeId);
                }
            }
            return id;
        });
    }

    @Override
    public Optional<KnownMessage> byRelayId(String relayId) {
        return jdbc.one("SELECT relay_message_id, original_message_id, sender_party FROM messages"
                        + " WHERE relay_message_id = ?",
                rs -> new KnownMessage(rs.getString(1), rs.getString(2), rs.getString(3)), relayId.toLowerCase());
    }

    @Override
    public Optional<KnownMessage> byOriginalId(String originalId, String senderParty) {
        return jdbc.one("SELECT relay_message_id, original_message_id, sender_party FROM messages"
                        + " WHERE original_message_id = ? AND sender_party = ? ORDER BY id LIMIT 1",
                rs -> new KnownMessage(rs.getString(1), rs.getString(2), rs.getString(3)), originalId, senderParty);
    }
}
