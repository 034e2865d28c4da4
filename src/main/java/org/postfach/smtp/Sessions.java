package org.postfach.smtp;

import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.postfach.mail.Replies;
import org.postfach.mail.SmtpReply;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * Admits SMTP sessions and runs each one (SPEC §7: sessions, connections per client address and session time are
 * bounded). SubEtha calls {@link #accept} on the session's own thread before its greeting; Postfach runs the whole
 * {@link Dialogue} inside it and closes the connection, so SubEtha's own command loop never reads a line (ADR 0003).
 * The counts are taken and released in the same method, in a finally, so every way a session can end releases them.
 */
final class Sessions implements SessionHandler, AutoCloseable {
    /** Must stay larger than any count of sessions being refused at once, so SubEtha's own limit never answers. */
    static final int SUBETHA_MARGIN = 50;

    private final int maxConnections;
    private final int maxPerAddress;
    private final Duration sessionTimeout;
    private final VerbTable verbs;
    private final int maxLineLength;
    private final int maxErrors;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "smtp-session-timer");
        t.setDaemon(true);
        return t;
    });
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private final Map<Dialogue, Socket> running = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean draining;
    private int total;

    Sessions(int maxConnections, int maxPerAddress, Duration sessionTimeout, VerbTable verbs, int maxLineLength,
             int maxErrors) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.sessionTimeout = sessionTimeout;
        this.verbs = verbs;
        this.maxLineLength = maxLineLength;
        this.maxErrors = maxErrors;
    }

    @Override
    public SessionAcceptance accept(Session session) {
        InetAddress client = session.getRemoteAddress().getAddress();
        if (draining) {
            SmtpReply r = Replies.SHUTTING_DOWN;
            return SessionAcceptance.failure(r.code(), r.enhanced() + " " + r.text());
        }
        SmtpReply refusal = admit(client);
        if (refusal != null) {
            // SubEtha sends it and closes the connection
            return SessionAcceptance.failure(refusal.code(), refusal.enhanced() + " " + refusal.text());
        }
        try {
            Socket plain = session.getSocket();
            Dialogue dialogue = new Dialogue(session, verbs.verbs(), maxLineLength, maxErrors);
            ScheduledFuture<?> deadline = timer.schedule(() -> dialogue.expire(plain, timer),
                    sessionTimeout.toMillis(), TimeUnit.MILLISECONDS);
            running.put(dialogue, plain);
            if (draining) {
                dialogue.drain();
            }
            try {
                dialogue.run();
            } finally {
                running.remove(dialogue);
                deadline.cancel(false);
            }
        } finally {
            release(client);
        }
        return SessionAcceptance.success(); // the connection is closed: SubEtha's loop ends at once
    }

    @Override
    public void onSessionEnd(Session session) {
        // released in accept()
    }

    private synchronized SmtpReply admit(InetAddress client) {
        if (total >= maxConnections) {
            return Replies.TOO_MANY_CONNECTIONS;
        }
        if (perAddress.getOrDefault(client, 0) >= maxPerAddress) {
            return Replies.TOO_MANY_CONNECTIONS_FROM_YOU;
        }
        total++;
        perAddress.merge(client, 1, Integer::sum);
        return null;
    }

    private synchronized void release(InetAddress client) {
        total--;
        perAddress.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Sessions counted now, for tests and metrics. */
    synchronized int open() {
        return total;
    }

    /**
     * Graceful shutdown: new sessions get 421 4.3.2; a session under way may finish its mail transaction (the
     * next command after it gets 421 4.3.2) within {@code grace}, then it is told 421 4.3.2 and closed. Returns
     * when no session is left or the grace period and the close grace are over.
     */
    void drain(Duration grace) throws InterruptedException {
        draining = true;
        running.keySet().forEach(Dialogue::drain);
        long end = System.nanoTime() + grace.toNanos();
        while (open() > 0 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        running.forEach((d, plain) -> d.expire(plain, timer, Replies.SHUTTING_DOWN));
        long closeEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (open() > 0 && System.nanoTime() < closeEnd) {
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
