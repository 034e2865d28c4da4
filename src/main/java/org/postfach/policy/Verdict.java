package org.postfach.policy;

import org.postfach.mail.SmtpReply;

/** What one rule decided. The first verdict that is not {@link Continue} decides the message (ARCHITECTURE). */
public sealed interface Verdict {
    /** The stable kebab-case name of the deciding rule; empty for {@link Continue}. */
    String rule();

    Verdict CONTINUE = new Continue();

    /** Nothing against it: the next rule looks. */
    record Continue() implements Verdict {
        public String rule() {
            return "";
        }
    }

    /** Refused for good: a 5xx reply, nothing stored. */
    record Reject(String rule, SmtpReply reply) implements Verdict {
    }

    /** Refused for now: a 4xx reply, the client may try again later. */
    record Defer(String rule, SmtpReply reply) implements Verdict {
    }

    /**
     * Accepted ({@code 250}) but never delivered: archived as blocked, and the sender gets the notice named
     * {@code notice} (a template under {@code notices/}).
     */
    record Block(String rule, String notice) implements Verdict {
    }
}
