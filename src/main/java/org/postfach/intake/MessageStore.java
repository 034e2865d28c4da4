package org.postfach.intake;

import java.util.List;
import java.util.Optional;
import org.postfach.policy.PolicyEvent;
import org.postfach.policy.Quota;
import org.postfach.policy.QuotaExceededException;

/** The storage port of intake. */
public interface MessageStore {
    /**
     * Stores every message of one DATA in one transaction: archive rows, raw forms, queue entries; a seller's
     * message to a buyer alias also ends "response required" on that pair's buyer messages (SPEC §8). The
     * daily-limit claims are taken in the same transaction: when one does not fit, nothing is stored and
     * {@link QuotaExceededException} is thrown. Returns only after the commit; throws when nothing was stored.
     */
    default List<Long> save(List<NewMessage> messages, List<Quota> quotas) {
        return save(messages, quotas, null);
    }

    /**
     * As {@link #save(List, List)}; with a {@code ticket}, the queue rows are written leased to its owner and each
     * queued message is added to it, to be handed to delivery once the caller confirms the ticket.
     */
    List<Long> save(List<NewMessage> messages, List<Quota> quotas, org.postfach.queue.HandOff.Ticket ticket);

    /** A message known by its relay Message-ID. */
    Optional<KnownMessage> byRelayId(String relayId);

    /** A message that {@code senderParty} sent with this original Message-ID. */
    Optional<KnownMessage> byOriginalId(String originalId, String senderParty);

    /** The archived message with this relay Message-ID, as a bounce report needs it (SPEC §3.4). */
    Optional<SentMessage> sent(String relayId);

    /** The archived message with this id (a queue entry names it by id). */
    Optional<SentMessage> sent(long id);

    /**
     * Records {@code event} on the original message and stores {@code notice} (when not null) related to it, in
     * one transaction: the failure notice of a message the relay gave up on (SPEC §6).
     */
    void saveNotice(long originalId, PolicyEvent event, NewMessage notice, java.time.Instant now);

    /** True when a message has a policy event of this rule (e.g. a delay notice was already sent). */
    boolean hasEvent(long messageId, String rule);

    /**
     * Stores a received report in one transaction: the report itself (related to {@code originalId} when
     * known), an event on the original, its new status if any, and the notice to its sender if any.
     */
    void saveReport(NewMessage report, Long originalId, PolicyEvent event, String newStatus, NewMessage notice);

    /** An archived message seen from a report about it. */
    record SentMessage(long id, String route, String status, String sellerId, String senderParty, String envelopeFrom,
                       String envelopeTo, String subject, java.time.Instant receivedAt) {
    }

    /** Just enough of an archived message to map thread references (SPEC §5). */
    record KnownMessage(String relayId, String originalId, String senderParty) {
    }
}
