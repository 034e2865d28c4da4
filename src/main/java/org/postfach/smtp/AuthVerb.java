package org.postfach.smtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.postfach.mail.Replies;
import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.server.Session;

/**
 * {@code AUTH PLAIN} and {@code AUTH LOGIN} on the submission port (SPEC §7, RFC 4954): only after STARTTLS unless
 * {@code smtp.submission.requireTls=false}; a failed login is {@code 535 5.7.8}, and a client address that keeps
 * failing is sent away with {@code 421 4.7.0}. The signed-in seller's id stays with the session.
 */
final class AuthVerb implements Verb {
    private final Submission submission;

    AuthVerb(Submission submission) {
        this.submission = submission;
    }

    /** The seller id of a signed-in session, if any. */
    static Optional<String> seller(Session s) {
        return s.getAuthenticationHandler().map(h -> (String) h.getIdentity());
    }

    @Override
    public void run(String line, Dialogue d) throws IOException {
        Session s = d.session();
        String ip = clientIp(s);
        if (submission.blocked(ip)) {
            d.hangUp(Replies.TOO_MANY_LOGINS);
            return;
        }
        if (submission.requireTls() && !s.isTLSStarted()) {
            d.reply(Replies.TLS_REQUIRED_FOR_AUTH);
            return;
        }
        if (s.isAuthenticated() || s.isMailTransactionInProgress()) {
            d.reply(Replies.AUTH_SEQUENCE);
            return;
        }
        String[] args = line.trim().split(" +");
        if (args.length < 2 || args.length > 3) {
            d.reply(Replies.AUTH_SYNTAX);
            return;
        }
        String mechanism = args[1].toUpperCase(Locale.ROOT);
        String user;
        String password;
        if (mechanism.equals("PLAIN")) {
            String decoded = decode(args.length == 3 ? args[2] : ask(d, ""));
            String[] parts = decoded == null ? new String[0] : decoded.split("\u0000", -1);
            if (parts.length != 3) {
                d.reply(Replies.AUTH_SYNTAX);
                return;
            }
            user = parts[1];
            password = parts[2];
        } else if (mechanism.equals("LOGIN")) {
            user = decode(args.length == 3 ? args[2] : ask(d, "VXNlcm5hbWU6")); // "Username:"
            password = decode(ask(d, "UGFzc3dvcmQ6")); // "Password:"
        } else {
            d.reply(Replies.AUTH_MECHANISM);
            return;
        }
        if (user == null || password == null) {
            d.reply(Replies.AUTH_SYNTAX);
            return;
        }
        Optional<String> seller = submission.login(user.trim().toLowerCase(Locale.ROOT), password);
        if (seller.isEmpty()) {
            if (submission.failed(ip)) {
                d.hangUp(Replies.TOO_MANY_LOGINS);
            } else {
                d.reply(Replies.AUTH_FAILED);
            }
            return;
        }
        String id = seller.get();
        s.setAuthenticationHandler(new AuthenticationHandler() {
            @Override
            public Optional<String> auth(String clientInput, org.subethamail.smtp.MessageContext context) {
                return Optional.empty();
            }

            @Override
            public Object getIdentity() {
                return id;
            }
        });
        d.reply(Replies.AUTH_OK);
    }

    /** A {@code 334} challenge and the client's answer line; "*" cancels (RFC 4954). */
    private static String ask(Dialogue d, String challenge) throws IOException {
        d.reply("334 " + challenge);
        Dialogue.Line answer = d.readLine(d.session().getRawInput());
        if (answer == null || answer.text() == null || answer.text().equals("*")) {
            return null;
        }
        return answer.text();
    }

    private static String decode(String b64) {
        if (b64 == null) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(b64.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String clientIp(Session s) {
        InetSocketAddress a = s.getRemoteAddress();
        return a == null || a.getAddress() == null ? "" : a.getAddress().getHostAddress();
    }
}
