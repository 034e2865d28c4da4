package org.postfach.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Back-off for temporary failures (SPEC §6): growing delays, up to {@code maxAge} after the message came in. */
public final class RetrySchedule {
    private static final List<Duration> DELAYS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
            Duration.ofHours(4));
    private final Duration maxAge;

    public RetrySchedule(Duration maxAge) {
        this.maxAge = maxAge;
    }

    /** When to try again after {@code attempts} failed attempts; empty when the message has to be given up. */
    public Optional<Instant> next(int attempts, Instant createdAt, Instant now) {
        Duration delay = DELAYS.get(Math.min(Math.max(attempts, 1), DELAYS.size()) - 1);
        Instant next = now.plus(delay);
        Instant deadline = createdAt.plus(maxAge);
        if (!now.isBefore(deadline)) {
            return Optional.empty();
        }
        return Optional.of(next.isAfter(deadline) ? deadline : next);
    }
}
