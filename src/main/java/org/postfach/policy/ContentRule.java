package org.postfach.policy;

import java.util.List;

/** A rule that needs the whole message; runs at end of DATA, after the whole of DATA was read. */
public interface ContentRule {
    /** Stable kebab-case name, used in policy events, logs and metrics. */
    String name();

    /** The verdict for this message; events it records (flags, exemptions) go to {@code events}. */
    Verdict check(Candidate candidate, List<PolicyEvent> events);
}
