package org.postfach.smtp;

import java.io.IOException;
import org.postfach.mail.Replies;

/**
 * CHUNKING is not offered. A client that sends BDAT anyway is answered and disconnected: the chunk bytes that
 * follow must never be read as commands (SPEC §7).
 */
final class BdatCommand implements Verb {
    @Override
    public void run(String line, Dialogue d) throws IOException {
        d.hangUp(Replies.BDAT_NOT_SUPPORTED);
    }
}
