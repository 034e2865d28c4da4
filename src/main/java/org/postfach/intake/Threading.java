package org.postfach.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Maps In-Reply-To and References between the two sides (SPEC §5). Each side knows a message by the ID it
 * saw: the sender by its own original ID, the recipient by our relay ID. IDs the relay does not know are
 * dropped, because they name real hosts.
 */
public final class Threading {
    private final MessageStore store;
    private final String relaySuffix;

    public Threading(MessageStore store, String domain) {
        this.store = store;
        this.relaySuffix = "@" + domain.toLowerCase(Locale.ROOT) + ">";
    }

    /** The IDs as the recipient knows them, in order, without duplicates. */
    public List<String> map(List<String> ids, String senderParty, String recipientParty) {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            mapOne(id, senderParty, recipientParty).filter(m -> !out.contains(m)).ifPresent(out::add);
        }
        return out;
    }

    private Optional<String> mapOne(String id, String senderParty, String recipientParty) {
        if (id.toLowerCase(Locale.ROOT).endsWith(relaySuffix)) {
            // The sender saw this relay ID on a message it received; the recipient knows it by its own ID
            // if it wrote that message, else by the same relay ID.
            return store.byRelayId(id).map(k -> k.senderParty().equals(recipientParty) && k.originalId() != null
                    ? k.originalId() : k.relayId());
        }
        // The sender's own earlier message: the recipient received it under its relay ID.
        return store.byOriginalId(id, senderParty).map(MessageStore.KnownMessage::relayId);
    }
}
