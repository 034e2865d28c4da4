package org.postfach.queue;

import java.time.Instant;

/**
 * Told when a queued message is given up (5xx from the next hop, or {@code delivery.maxAge} reached), so that its
 * sender learns of it (SPEC §3.4, §6). Called before the entry is marked FAILED, so a crash in between repeats the
 * call: implementations must be idempotent per message.
 */
public interface FailureNotices {
    FailureNotices NONE = (messageId, status, now) -> { };

    /** {@code status} is an RFC 3463 status ("5.1.1", "4.4.7" when the retries ran out), never the remote text. */
    void failed(long messageId, String status, Instant now);
}
