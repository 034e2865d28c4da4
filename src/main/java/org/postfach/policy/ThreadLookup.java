package org.postfach.policy;

import java.util.List;

/** Port: the archive's knowledge of which relay Message-IDs a buyer sent to a seller. */
public interface ThreadLookup {
    /** True when one of {@code messageIds} is the relay ID of a message this buyer sent to this seller. */
    boolean sentByBuyer(List<String> messageIds, String buyerId, String sellerId);
}
