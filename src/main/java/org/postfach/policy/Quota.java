package org.postfach.policy;

import java.time.LocalDate;

/**
 * A claim on a seller's daily limit: {@code count} more messages on {@code utcDay}, allowed only while the
 * day's total stays at or under {@code limit}. The store takes it in the same transaction as the messages, so
 * that two sessions can never both take the last slot.
 */
public record Quota(String sellerId, LocalDate utcDay, int count, int limit) {
}
