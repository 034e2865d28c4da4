package org.postfach.smtp;

import java.io.IOException;
import org.subethamail.smtp.DropConnectionException;

/** One SMTP command as {@link Dialogue} runs it: it answers through the dialogue, never on the socket itself. */
interface Verb {
    /** Runs the whole command line {@code line} (verb included, CRLF removed). */
    void run(String line, Dialogue d) throws IOException, DropConnectionException;

    /** The text after the verb, trimmed; empty when there is none. */
    static String argument(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? "" : line.substring(space + 1).trim();
    }
}
