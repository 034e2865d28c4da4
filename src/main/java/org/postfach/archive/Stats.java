package org.postfach.archive;

import java.util.Map;

/** SPEC §9 {@code GET /api/sellers/{id}/stats}: the seller's day, responsiveness and policy over 30 days. */
public record Stats(int sentToday, int dailyLimit, long awaitingResponse, Long averageResponseSeconds,
                    Double answeredWithin24h, long blocked, Map<String, Long> blockedByRule,
                    Map<String, Long> policyEventsByRule) {
}
