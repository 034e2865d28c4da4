package org.postfach.queue;

import java.time.Instant;

/**
 * One leased delivery: who sends (the bounce address), to whom, and the size of the delivered form. The bytes
 * themselves are read with {@link OutboundQueue#content(QueueEntry)} when the entry is sent, not with the lease.
 */
public record QueueEntry(long id, long messageId, String envelopeFrom, String recipient, int attempts,
                         Instant createdAt, long size) {
}
