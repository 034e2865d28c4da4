package org.postfach.smtp;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.subethamail.smtp.AuthenticationHandlerFactory;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * Replaces SubEtha's EHLO, which always offers CHUNKING: its BDAT takes a chunk cut short by a lost connection
 * as a complete message, so Postfach does not offer CHUNKING (SPEC §7). STARTTLS is not offered again inside TLS.
 */
final class EhloCommand extends BaseCommand {
    EhloCommand() {
        super("EHLO", "Introduce yourself.", "<hostname>");
    }

    @Override
    public void execute(String commandString, Session sess) throws IOException {
        String[] args = getArgs(commandString);
        if (args.length < 2) {
            sess.sendResponse("501 5.5.4 Syntax: EHLO hostname");
            return;
        }
        sess.resetMailTransaction();
        sess.setHelo(args[1]);
        SMTPServer server = sess.getServer();
        StringBuilder r = new StringBuilder("250-").append(server.getHostName());
        r.append("\r\n250-8BITMIME");
        if (server.getMaxMessageSize() > 0) {
            r.append("\r\n250-SIZE ").append(server.getMaxMessageSize());
        }
        if (server.getEnableTLS() && !server.getHideTLS() && !sess.isTLSStarted()) {
            r.append("\r\n250-STARTTLS");
        }
        r.append("\r\n250-SMTPUTF8");
        Optional<AuthenticationHandlerFactory> auth = server.getAuthenticationHandlerFactory();
        boolean showAuth = auth.isPresent() && (sess.isTLSStarted() || !server.getRequireTLS()
                || server.getShowAuthCapabilitiesBeforeSTARTTLS());
        if (showAuth) {
            List<String> mechanisms = auth.get().getAuthenticationMechanisms();
            if (!mechanisms.isEmpty()) {
                r.append("\r\n250-AUTH ").append(String.join(" ", mechanisms));
            }
        }
        r.append("\r\n250 Ok");
        sess.sendResponse(r.toString());
    }
}
