package org.postfach.smtp;

import java.io.IOException;
import java.util.Optional;
import org.postfach.mail.Replies;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * Replaces SubEtha's EHLO, which always offers CHUNKING: its BDAT takes a chunk cut short by a lost connection
 * as a complete message, so Postfach does not offer CHUNKING (SPEC §7). STARTTLS is not offered again inside TLS.
 * ENHANCEDSTATUSCODES is offered: every reply but the greeting and EHLO/HELO carries one.
 */
final class EhloCommand implements Verb {
    private final Optional<Submission> submission;

    EhloCommand(Optional<Submission> submission) {
        this.submission = submission;
    }

    @Override
    public void run(String line, Dialogue d) throws IOException {
        Session sess = d.session();
        String host = Verb.argument(line);
        if (host.isEmpty() || host.contains(" ")) {
            d.reply(Replies.EHLO_SYNTAX);
            return;
        }
        sess.resetMailTransaction();
        sess.setHelo(host);
        SMTPServer server = sess.getServer();
        StringBuilder r = new StringBuilder("250-").append(server.getHostName());
        r.append("\r\n250-8BITMIME");
        r.append("\r\n250-ENHANCEDSTATUSCODES");
        if (server.getMaxMessageSize() > 0) {
            r.append("\r\n250-SIZE ").append(server.getMaxMessageSize());
        }
        if (server.getEnableTLS() && !server.getHideTLS() && !sess.isTLSStarted()) {
            r.append("\r\n250-STARTTLS");
        }
        r.append("\r\n250-SMTPUTF8");
        // SPEC §7: AUTH only on the submission port, and only inside TLS unless smtp.submission.requireTls=false
        if (submission.isPresent() && (sess.isTLSStarted() || !submission.get().requireTls())) {
            r.append("\r\n250-AUTH PLAIN LOGIN");
        }
        r.append("\r\n250 Ok");
        d.reply(r.toString()); // RFC 2034: no enhanced code on the EHLO reply
    }
}
