package org.postfach.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.postfach.mail.Replies;
import org.postfach.mail.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.server.Session;

/**
 * The command loop of one SMTP session, in place of SubEtha's (ADR 0003): SubEtha's loop closes the connection on a
 * line over 998 characters, answers unknown commands and timeouts without enhanced status codes and counts no
 * errors. Lines are read as bytes from the session's raw input (the same buffered stream DATA reads), so nothing
 * is read ahead. Every reply goes through {@link #reply}, which counts protocol errors (SPEC §7: going past a bound
 * gets an SMTP error, not a hung server).
 */
final class Dialogue {
    private static final Logger LOG = LoggerFactory.getLogger(Dialogue.class);

    private final Session session;
    private final Map<String, Verb> verbs;
    private final int maxLineLength;
    private final int maxErrors;
    private int errors;
    private boolean hangUp;
    private volatile boolean expired;
    private volatile boolean draining;

    Dialogue(Session session, Map<String, Verb> verbs, int maxLineLength, int maxErrors) {
        this.session = session;
        this.verbs = verbs;
        this.maxLineLength = maxLineLength;
        this.maxErrors = maxErrors;
    }

    Session session() {
        return session;
    }

    /** Greets, then runs commands until QUIT, a bound, or the client goes away; always closes the connection. */
    void run() {
        try {
            session.sendResponse("220 " + session.getServer().getHostName() + " ESMTP "
                    + session.getServer().getSoftwareName());
            while (!hangUp) {
                Line line = readLine(session.getRawInput());
                if (line == null) {
                    return;
                }
                if (draining && !session.isMailTransactionInProgress()) {
                    hangUp(Replies.SHUTTING_DOWN); // graceful shutdown: a transaction under way may finish
                    return;
                }
                if (line.refusal() != null) {
                    reply(line.refusal());
                } else {
                    execute(line.text());
                }
                if (!hangUp && errors >= maxErrors) {
                    reply(Replies.TOO_MANY_ERRORS);
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            if (!expired) {
                quietly(Replies.IDLE_TIMEOUT.toString());
            }
        } catch (DropConnectionException e) {
            quietly(e.getErrorResponse());
        } catch (IOException e) {
            // the client went away, a TLS handshake failed, or the session deadline closed the socket
            LOG.debug("SMTP session ended: {}", e.toString());
        } finally {
            session.quit();
        }
    }

    private void execute(String line) throws IOException, DropConnectionException {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        Verb v = verbs.get(verb);
        if (v == null) {
            reply(Replies.UNKNOWN_COMMAND);
        } else {
            v.run(line, this);
        }
    }

    void reply(SmtpReply reply) throws IOException {
        reply(reply.toString());
    }

    /** Sends one reply (lines joined by CRLF); 5xx syntax, sequence and unknown-command replies count as errors. */
    void reply(String text) throws IOException {
        int code = text.length() >= 3 ? parseCode(text) : 0;
        if ((code >= 500 && code <= 504) || code == 555) {
            errors++;
        }
        session.sendResponse(text);
    }

    /** Ends the session after {@code reply}. */
    void hangUp(SmtpReply reply) throws IOException {
        hangUp = true;
        reply(reply);
    }

    /**
     * Called by the session deadline on another thread: tells the client and closes the plain socket underneath
     * (TLS included). The reply is written on its own thread because a client that reads nothing can block a write;
     * the socket is closed after a grace period whatever happens.
     */
    void expire(Socket plain, ScheduledExecutorService timer) {
        expire(plain, timer, Replies.SESSION_TIMEOUT);
    }

    /** Graceful shutdown: the next command outside a mail transaction is answered 421 4.3.2. */
    void drain() {
        draining = true;
    }

    void expire(Socket plain, ScheduledExecutorService timer, SmtpReply reply) {
        expired = true;
        Thread writer = new Thread(() -> {
            try {
                session.sendResponse(reply.toString());
            } catch (IOException | RuntimeException e) {
                LOG.debug("session timeout reply not sent: {}", e.toString());
            } finally {
                closeQuietly(plain);
            }
        }, "smtp-session-deadline");
        writer.setDaemon(true);
        writer.start();
        timer.schedule(() -> closeQuietly(plain), 2, TimeUnit.SECONDS);
    }

    private void quietly(String text) {
        try {
            session.sendResponse(text);
        } catch (IOException e) {
            LOG.debug("last reply not sent: {}", e.toString());
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.debug("closing: {}", e.toString());
        }
    }

    private static int parseCode(String text) {
        try {
            return Integer.parseInt(text.substring(0, 3));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A command line, or the reply for a line that cannot be one. */
    record Line(String text, SmtpReply refusal) {
    }

    /**
     * One command line up to LF, or null at end of input. A line longer than {@code maxLineLength} bytes (CRLF
     * included) is read to its end and discarded, and so is a line that ends in a bare LF; each comes back with
     * the reply it gets, and the session goes on.
     */
    Line readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        int n = 0;
        boolean tooLong = false;
        int prev = -1;
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                if (tooLong) {
                    return new Line(null,
                            Replies.LINE_TOO_LONG.withText(String.format(Replies.LINE_TOO_LONG.text(), maxLineLength)));
                }
                if (prev != '\r') {
                    return new Line(null, Replies.BARE_LINE_END);
                }
                byte[] bytes = buf.toByteArray();
                return new Line(new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8), null);
            }
            n++;
            if (n + 1 > maxLineLength) {
                tooLong = true;
            } else {
                buf.write(b);
            }
            prev = b;
        }
        return null;
    }
}
