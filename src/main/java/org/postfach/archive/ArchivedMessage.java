package org.postfach.archive;

import java.time.Instant;
import java.util.List;

/** One archived message as the API shows it (SPEC §8, §9). */
public record ArchivedMessage(long id, Instant receivedAt, String route, String status, String sellerId,
                              String buyerId, String buyerAlias, String orderId, String envelopeFrom,
                              String envelopeTo, String subject, String relayMessageId, boolean responseRequired,
                              Instant respondedAt, boolean noResponseNeeded, boolean legalHold, Instant purgedAt,
                              String blockedRule, Long relatedId, long sizeBytes, List<Event> events,
                              Delivery delivery, int attachments) {
    public record Event(String rule, String detail, Instant at) {
    }

    /** The queue's view: state, attempts so far, when the next one is due. Null for messages never queued. */
    public record Delivery(String state, int attempts, Instant nextAttemptAt, String lastError) {
    }
}
