package org.postfach.archive;

import java.time.Instant;

/** A message reported by the marketplace (SPEC §9): spam, inappropriate or other. */
public record Report(long id, long messageId, String reason, String note, Instant createdAt) {
}
