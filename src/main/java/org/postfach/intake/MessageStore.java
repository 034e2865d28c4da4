package org.postfach.intake;

import java.util.List;
import java.util.Optional;
import org.postfach.policy.Quota;
import org.postfach.policy.QuotaExceededException;

/** The storage port of intake. */
public interface MessageStore {
    /**
     * Stores every message of one DATA in one transaction: archive rows, raw forms, queue entries; a seller's
     * message to a buyer alias also ends "response required" on that pair's buyer messages (SPEC §8). The
     * daily-limit claims are taken in the same transaction: when one does not fit, nothing is stored and
     * {@link QuotaExceededException} is thrown. Returns only after the commit; throws when nothing was stored.
     */
    List<Long> save(List<NewMessage> messages, List<Quota> quotas);

    /** A message known by its relay Message-ID. */
    Optional<KnownMessage> byRelayId(String relayId);

    /** A message that {@code senderParty} sent with this original Message-ID. */
    Optional<KnownMessage> byOriginalId(String originalId, String senderParty);

    /** Just enough of an archived message to map thread references (SPEC §5). */
    record KnownMessage(String relayId, String originalId, String senderParty) {
    }
}
