package org.postfach.mail;

/**
 * Port for counting what happens to mail, for {@code /metrics} (SPEC §9): {@code event} is a stable name
 * ("accepted", "refused", "blocked", "delivery"), {@code label} its one dimension (route, enhanced status code,
 * rule, result). Never a real address. Durations go to {@link #time}.
 */
@FunctionalInterface
public interface Tally {
    Tally NONE = (event, label) -> { };

    void count(String event, String label);

    /** How long something took: "intake" is the end of DATA to the decided reply, labelled accepted or refused. */
    default void time(String event, String label, long nanos) {
    }
}
