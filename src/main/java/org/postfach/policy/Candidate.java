package org.postfach.policy;

import java.util.List;
import org.postfach.mail.Attachment;
import org.postfach.mail.MessageFacts;
import org.postfach.resolve.Route;

/** One message for one route, as the content rules see it at end of DATA. */
public record Candidate(Route route, MessageFacts facts, List<Attachment> attachments, List<String> structureProblems) {
    /** SPEC §3.1: the seller started it (carrier mail is on the seller's behalf but not the seller's own). */
    public boolean sellerInitiated() {
        return route instanceof Route.SellerToBuyer;
    }
}
