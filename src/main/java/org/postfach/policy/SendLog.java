package org.postfach.policy;

import java.time.Instant;
import java.time.LocalDate;

/** Port: what the daily limit needs to know (SPEC §4). */
public interface SendLog {
    /** Messages counted for this seller on this UTC day. */
    int sentOn(String sellerId, LocalDate utcDay);

    /** Orders placed at this seller since this instant. */
    int ordersSince(String sellerId, Instant since);
}
