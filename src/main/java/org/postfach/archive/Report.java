package org.postfach.archive;

import java.time.Instant;

/** A message reported by the marketplace (SPEC §9) or by its seller (SPEC §10): spam, inappropriate or other. */
public record Report(long id, long messageId, String reason, String note, Instant createdAt) {
    /** The reasons a report can give, in the order they are offered. */
    public static final java.util.List<String> REASONS = java.util.List.of("spam", "inappropriate", "other");
}
