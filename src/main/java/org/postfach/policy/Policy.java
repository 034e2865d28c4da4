package org.postfach.policy;

import java.util.ArrayList;
import java.util.List;
import org.postfach.config.Settings;
import org.postfach.resolve.Route;

/**
 * The policy filter in one fixed chain (ARCHITECTURE): the daily limit at RCPT; at end of DATA the attachment
 * types, the misuse of the important tag, then the opt-out with its exemptions. The first verdict that is not
 * continue decides; events of the rules before it are kept. Configuration sets values, never rules or order.
 */
public final class Policy {
    private final DailyLimit limit;
    private final List<ContentRule> content;

    public Policy(DailyLimit limit, List<ContentRule> content) {
        this.limit = limit;
        this.content = List.copyOf(content);
    }

    public static Policy standard(Settings.Policy settings, OptOuts optOuts, ThreadLookup threads,
                                  OrderLookup orders, DailyLimit limit) {
        ImportantTags tags = new ImportantTags(settings.importantTags());
        return new Policy(limit, List.of(
                new AttachmentRule(),
                new ImportantMisuseRule(tags, settings.importantMisuse()),
                new OptOutRule(optOuts, List.of(
                        new ImportantTagExemption(tags),
                        new BuyerThreadExemption(threads),
                        new OrderCategoryExemption(orders)))));
    }

    /** The outcome for one message and route: the deciding verdict and every event recorded on the way. */
    public record Outcome(Verdict verdict, List<PolicyEvent> events) {
    }

    /** At RCPT, with {@code pending} routes already accepted in this transaction. */
    public Verdict envelope(Route route, List<Route> pending) {
        int sameSeller = (int) pending.stream()
                .filter(r -> DailyLimit.counts(r) && r.seller().id().equals(route.seller().id())).count();
        return limit.check(route, sameSeller);
    }

    /** At end of DATA, after the whole message was read. */
    public Outcome content(Candidate candidate) {
        List<PolicyEvent> events = new ArrayList<>();
        for (ContentRule rule : content) {
            Verdict v = rule.check(candidate, events);
            if (!(v instanceof Verdict.Continue)) {
                return new Outcome(v, List.copyOf(events));
            }
        }
        return new Outcome(Verdict.CONTINUE, List.copyOf(events));
    }

    public List<Quota> quotas(List<Route> routes) {
        return limit.quotas(routes);
    }
}
