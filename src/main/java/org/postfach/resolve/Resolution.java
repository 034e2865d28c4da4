package org.postfach.resolve;

import org.postfach.mail.SmtpReply;

/** The outcome of resolving one recipient: a route, or a refusal that says why. */
public record Resolution(Route route, SmtpReply refusal) {
    public static Resolution of(Route route) {
        return new Resolution(route, null);
    }

    public static Resolution refuse(SmtpReply reply) {
        return new Resolution(null, reply);
    }

    public boolean accepted() {
        return route != null;
    }
}
