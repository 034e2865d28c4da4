package org.postfach.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import org.postfach.mail.Replies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.Session;

/**
 * Replaces SubEtha's STARTTLS (SPEC §7): commands pipelined behind STARTTLS are discarded, never run inside TLS
 * (CVE-2011-0411 class); a second STARTTLS is a sequence error; a failed handshake ends the session instead of
 * going on in clear text on a socket in an unknown state.
 */
final class StartTlsCommand implements Verb {
    private static final Logger LOG = LoggerFactory.getLogger(StartTlsCommand.class);

    @Override
    public void run(String line, Dialogue d) throws IOException {
        Session sess = d.session();
        if (!Verb.argument(line).isEmpty()) {
            d.reply(Replies.NO_PARAMETERS);
            return;
        }
        if (!sess.getServer().getEnableTLS()) {
            d.reply(Replies.TLS_NOT_AVAILABLE);
            return;
        }
        if (sess.isTLSStarted()) {
            d.reply(Replies.TLS_ALREADY_ACTIVE);
            return;
        }
        // Whatever the client sent after STARTTLS and before the handshake was sent in clear text: drop it. What is
        // buffered is skipped here; the session's new buffered input (setSocket) starts empty over the TLS stream.
        InputStream in = sess.getRawInput();
        long dropped = 0;
        int pending;
        while ((pending = in.available()) > 0) {
            dropped += in.skip(pending);
        }
        if (dropped > 0) {
            LOG.info("discarded {} bytes pipelined after STARTTLS", dropped);
        }
        d.reply(Replies.START_TLS);
        Socket plain = sess.getSocket();
        SSLSocket tls = sess.getServer().createSSLSocket(plain);
        tls.startHandshake(); // an IOException here ends the session (Dialogue)
        sess.setSocket(tls);
        sess.resetSmtpProtocol(); // RFC 3207 4.2: forget everything learnt before TLS, EHLO again
        sess.setTlsStarted(true);
    }
}
