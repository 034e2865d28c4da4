package org.postfach.queue;

import java.time.Instant;

/** One leased delivery: who sends (the bounce address), to whom, and the delivered bytes. */
public record QueueEntry(long id, long messageId, String envelopeFrom, String recipient, int attempts,
                         Instant createdAt, byte[] content) {
}
