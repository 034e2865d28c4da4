package org.postfach.policy;

import java.util.List;
import org.postfach.resolve.Route;

/**
 * SPEC §4: seller-initiated mail to a buyer who opted out (of all sellers, or of this one, SPEC §10) is blocked unless an exemption holds. Buyer mail and
 * carrier mail are never blocked by an opt-out. A message let through by an exemption records which one.
 */
public final class OptOutRule implements ContentRule {
    public static final String NOTICE = "blocked-opt-out";
    private final OptOuts optOuts;
    private final List<Exemption> exemptions;

    public OptOutRule(OptOuts optOuts, List<Exemption> exemptions) {
        this.optOuts = optOuts;
        this.exemptions = List.copyOf(exemptions);
    }

    @Override
    public String name() {
        return "opt-out";
    }

    @Override
    public Verdict check(Candidate c, List<PolicyEvent> events) {
        if (!(c.route() instanceof Route.SellerToBuyer r)
                || !(r.optedOut() || optOuts.optedOut(r.buyer(), r.seller()))) {
            return Verdict.CONTINUE;
        }
        for (Exemption e : exemptions) {
            if (e.holds(c)) {
                events.add(new PolicyEvent(name(), "exempt: " + e.name()));
                return Verdict.CONTINUE;
            }
        }
        return new Verdict.Block(name(), NOTICE);
    }
}
