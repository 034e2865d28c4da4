package org.postfach.archive;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * The archive as the marketplace uses it (SPEC §8, §9): search, one message, its raw forms, reports, legal
 * hold, "no response needed", seller statistics and the retention purge.
 */
public final class Archive {
    public static final Duration STATS_WINDOW = Duration.ofDays(30);
    private final ArchiveStore store;
    private final Clock clock;
    private final ToIntFunction<String> sentToday;
    private final ToIntFunction<String> dailyLimit;
    private final int retentionDays;

    public Archive(ArchiveStore store, Clock clock, ToIntFunction<String> sentToday, ToIntFunction<String> dailyLimit,
                   int retentionDays) {
        this.store = store;
        this.clock = clock;
        this.sentToday = sentToday;
        this.dailyLimit = dailyLimit;
        this.retentionDays = retentionDays;
    }

    public Page search(Query q) {
        return store.search(q);
    }

    public Optional<ArchivedMessage> message(long id) {
        return store.message(id);
    }

    /** SPEC §10: the seller's buyer messages that await a response, oldest first (the console's inbox). */
    public List<ArchivedMessage> awaitingResponse(String sellerId, int limit) {
        return store.awaitingResponse(sellerId, limit);
    }

    /** SPEC §10: the seller's reported messages, newest first (a view of the console). */
    public List<ArchivedMessage> reported(String sellerId, int limit) {
        return store.reported(sellerId, limit);
    }

    /** SPEC §10: the message an in-mail action's link names, by its relay Message-ID. */
    public Optional<ArchivedMessage> messageByRelayId(String relayMessageId) {
        return store.messageByRelayId(relayMessageId);
    }

    public Optional<byte[]> raw(long id, String form) {
        return store.raw(id, form);
    }

    public boolean setLegalHold(long id, boolean hold) {
        return store.setLegalHold(id, hold);
    }

    public boolean markNoResponseNeeded(long id) {
        return store.markNoResponseNeeded(id, clock.instant());
    }

    public long report(long messageId, String reason, String note) {
        return store.report(messageId, reason, note, clock.instant());
    }

    public List<Report> reports(int limit) {
        return store.reports(limit);
    }

    /** Removes messages older than {@code retention.days}, raw bytes included, except those under legal hold. */
    public int purge() {
        Instant now = clock.instant();
        return store.purge(now.minus(Duration.ofDays(retentionDays)), now);
    }

    /**
     * SPEC §8 business rule: a response time runs from the buyer's message to the seller's first answer to that
     * buyer alias; the share answered within 24 h counts every buyer message of the window that was answered
     * or has been waiting longer than 24 h.
     */
    public Stats stats(String sellerId) {
        Instant now = clock.instant();
        Instant since = now.minus(STATS_WINDOW);
        ArchiveStore.Activity a = store.activity(sellerId, since);
        long total = 0;
        long count = 0;
        long within = 0;
        long due = 0;
        for (ArchiveStore.Asked q : a.asked()) {
            if (q.respondedAt() != null) {
                long seconds = Duration.between(q.receivedAt(), q.respondedAt()).getSeconds();
                total += Math.max(0, seconds);
                count++;
                due++;
                if (seconds <= Duration.ofHours(24).getSeconds()) {
                    within++;
                }
            } else if (q.waiting() && Duration.between(q.receivedAt(), now).toHours() >= 24) {
                due++;
            }
        }
        long blocked = a.blockedByRule().values().stream().mapToLong(Long::longValue).sum();
        return new Stats(sentToday.applyAsInt(sellerId), dailyLimit.applyAsInt(sellerId), a.awaitingResponse(),
                count == 0 ? null : total / count, due == 0 ? null : (double) within / due, blocked,
                Map.copyOf(a.blockedByRule()), Map.copyOf(a.eventsByRule()));
    }
}
