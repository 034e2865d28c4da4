package org.postfach.smtp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The submission port's login (SPEC §7): who may sign in, whether STARTTLS must come first, and how many failed
 * logins a client address gets ({@link #MAX_FAILURES} in {@link #WINDOW}) before it is sent away with 421.
 */
final class Submission {
    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(15);
    private final boolean requireTls;
    private final BiFunction<String, String, Optional<String>> login;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    /** {@code login}: user name and password to the seller id, or empty. */
    Submission(boolean requireTls, BiFunction<String, String, Optional<String>> login, Clock clock) {
        this.requireTls = requireTls;
        this.login = login;
        this.clock = clock;
    }

    boolean requireTls() {
        return requireTls;
    }

    Optional<String> login(String user, String password) {
        return login.apply(user, password);
    }

    /** Records a failed login; true when this address has now used up its attempts. */
    boolean failed(String clientIp) {
        Instant now = clock.instant();
        Deque<Instant> d = failures.computeIfAbsent(clientIp, k -> new ArrayDeque<>());
        synchronized (d) {
            while (!d.isEmpty() && d.peekFirst().isBefore(now.minus(WINDOW))) {
                d.pollFirst();
            }
            d.addLast(now);
            return d.size() >= MAX_FAILURES;
        }
    }

    boolean blocked(String clientIp) {
        Deque<Instant> d = failures.get(clientIp);
        if (d == null) {
            return false;
        }
        synchronized (d) {
            Instant now = clock.instant();
            return d.stream().filter(t -> !t.isBefore(now.minus(WINDOW))).count() >= MAX_FAILURES;
        }
    }
}
