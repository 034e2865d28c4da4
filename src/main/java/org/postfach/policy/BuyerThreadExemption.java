package org.postfach.policy;

import java.util.ArrayList;
import java.util.List;
import org.postfach.resolve.Route;

/**
 * SPEC §4 exemption: a reply in a buyer-initiated thread. The seller received the buyer's message under its
 * relay Message-ID, so the seller's reply names that ID in {@code In-Reply-To} or {@code References}.
 */
public final class BuyerThreadExemption implements Exemption {
    private final ThreadLookup threads;

    public BuyerThreadExemption(ThreadLookup threads) {
        this.threads = threads;
    }

    @Override
    public String name() {
        return "buyer-thread";
    }

    @Override
    public boolean holds(Candidate c) {
        if (!(c.route() instanceof Route.SellerToBuyer r)) {
            return false;
        }
        List<String> ids = new ArrayList<>(c.facts().inReplyTo());
        ids.addAll(c.facts().references());
        return !ids.isEmpty() && threads.sentByBuyer(ids, r.buyer().id(), r.seller().id());
    }
}
