package org.postfach.policy;

/** A reason why seller mail reaches a buyer who opted out (SPEC §4). */
public interface Exemption {
    /** Stable kebab-case name, recorded as the detail of the exemption's policy event. */
    String name();

    boolean holds(Candidate candidate);
}
