package org.postfach.archive;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The storage port of the archive. */
public interface ArchiveStore {
    /** One chained entry as stored: its recorded hashes and what they were computed over. */
    record ChainEntry(long id, String entryHash, String prevHash, boolean purged, ChainHash.Content content) {
    }

    /** Entries after {@code afterId} in chain order, at most {@code limit}. */
    List<ChainEntry> chain(long afterId, int limit);

    /** The last id and hash of the chain as the head records them. */
    ChainEntry head();

    /** Purges the raw forms and personal fields of messages received before {@code before}, except held ones. */
    int purge(Instant before, Instant now);

    Optional<ArchivedMessage> message(long id);

    /** The message with this relay Message-ID ({@code <token@domain>}, any case). */
    Optional<ArchivedMessage> messageByRelayId(String relayMessageId);

    /** SPEC §10's inbox: the seller's buyer messages that await a response, oldest first. */
    java.util.List<ArchivedMessage> awaitingResponse(String sellerId, int limit);

    /** The seller's messages that were reported (by the marketplace or the seller), newest first. */
    java.util.List<ArchivedMessage> reported(String sellerId, int limit);

    Optional<byte[]> raw(long id, String form);

    Page search(Query query);

    boolean setLegalHold(long id, boolean hold);

    /** Marks a buyer message as needing no response; false when there is no such buyer message. */
    boolean markNoResponseNeeded(long id, Instant now);

    long report(long messageId, String reason, String note, Instant now);

    List<Report> reports(int limit);

    /** A buyer message of the window: when it came, when the seller first answered, whether it still waits. */
    record Asked(Instant receivedAt, Instant respondedAt, boolean waiting) {
    }

    /** What the seller statistics are made of. */
    record Activity(long awaitingResponse, List<Asked> asked, java.util.Map<String, Long> blockedByRule,
                    java.util.Map<String, Long> eventsByRule) {
    }

    Activity activity(String sellerId, Instant since);
}
