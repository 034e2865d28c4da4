package org.postfach.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postfach.intake.MessageStore;
import org.postfach.intake.NewMessage;

/** Archive rows, raw forms and queue entries of accepted messages, each DATA in one transaction. */
public final class JdbcMessageStore implements MessageStore {
    private final Jdbc jdbc;

    public JdbcMessageStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Long> save(List<NewMessage> messages) {
        return jdbc.inTransaction(() -> {
            List<Long> ids = new ArrayList<>();
            for (NewMessage m : messages) {
                long id = jdbc.insert("INSERT INTO messages (received_at, route, status, seller_id, buyer_id,"
                                + " buyer_alias, order_id, envelope_from, envelope_to, delivered_to, subject,"
                                + " relay_message_id, original_message_id, sender_party, response_required, size_bytes)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        m.receivedAt(), m.route(), m.status(), m.sellerId(), m.buyerId(), m.buyerAlias(), m.orderId(),
                        m.envelopeFrom(), m.envelopeTo(), m.deliveredTo(), m.subject(), m.relayMessageId(),
                        m.originalMessageId(), m.senderParty(), m.responseRequired(), (long) m.original().length);
                jdbc.update("INSERT INTO message_bodies (message_id, form, content) VALUES (?, 'ORIGINAL', ?)",
                        id, m.original());
                if (m.delivered() != null) {
                    jdbc.update("INSERT INTO message_bodies (message_id, form, content) VALUES (?, 'DELIVERED', ?)",
                            id, m.delivered());
                }
                if (NewMessage.QUEUED.equals(m.status())) {
                    jdbc.update("INSERT INTO outbound_queue (message_id, envelope_from, recipient, state, attempts,"
                                    + " next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, 'QUEUED', 0, ?, ?, ?)",
                            id, m.bounceAddress(), m.deliveredTo(), m.receivedAt(), m.receivedAt(), m.receivedAt());
                }
                if (m.senderParty().startsWith("seller:") && m.buyerAlias() != null) {
                    // SPEC §8: the seller's answer to this buyer alias ends "response required".
                    jdbc.update("UPDATE messages SET response_required = FALSE, responded_at = ?"
                                    + " WHERE seller_id = ? AND buyer_alias = ? AND response_required = TRUE",
                            m.receivedAt(), m.sellerId(), m.buyerAlias());
                }
                ids.add(id);
            }
            return ids;
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
