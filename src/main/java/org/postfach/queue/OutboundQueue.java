package org.postfach.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The durable outbound queue (SPEC §6). Entries are leased with an expiry, so the work of a crashed worker or
 * node comes back once the lease runs out. Each outcome is recorded only by the lease holder.
 */
public interface OutboundQueue {
    /** Leases up to {@code max} due entries (QUEUED or DEFERRED and due, or SENDING with an expired lease). */
    List<QueueEntry> lease(String owner, int max, Instant now, Duration leaseFor);

    /**
     * The delivered form of a leased entry. Read just before sending, so that a worker's batch of leases does not
     * hold a batch of messages in the heap.
     */
    byte[] content(QueueEntry entry);

    void delivered(QueueEntry entry, String owner, Instant now);

    void deferred(QueueEntry entry, String owner, Instant nextAttempt, String diagnostic, Instant now);

    void failed(QueueEntry entry, String owner, String diagnostic, Instant now);

    /**
     * At start-up: takes back the leases this node held when it stopped or crashed (it cannot be working on
     * them now), so that their messages are sent again at once instead of after the lease expiry.
     */
    int recover(String owner);

    /** Gives a lease back untouched (graceful shutdown). */
    void release(QueueEntry entry, String owner);
}
