package org.postfach.directory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Who may use the seller console (SPEC §10): single-use sign-in links the marketplace asks for
 * ({@code POST /api/sellers/{id}/console-link}, valid 10 minutes) and the sessions they open (8 hours). Secrets are
 * random (the alias generator's {@code SecureRandom}) and stored only as their SHA-256.
 */
public final class ConsoleAccess {
    public static final String SIGN_IN_PATH = "/console/signin/";
    static final Duration LINK_VALID = Duration.ofMinutes(10);
    static final Duration SESSION_VALID = Duration.ofHours(8);
    public static final int MAX_FAILURES = 5;
    public static final Duration FAILURE_WINDOW = Duration.ofMinutes(15);
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.Deque<Instant>> failures =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final ConsoleStore store;
    private final Directory directory;
    private final AliasGenerator random;
    private final Clock clock;
    private final String base;

    /** A sign-in link: where, and until when. */
    public record Link(String url, Instant expiresAt) {
    }

    /** A signed-in seller: the session's id (the cookie's value), the seller, the token every form carries. */
    public record Session(String id, String sellerId, String csrf, Instant expiresAt) {
    }

    public ConsoleAccess(ConsoleStore store, Directory directory, AliasGenerator random, Clock clock, URI publicUrl) {
        this.store = store;
        this.directory = directory;
        this.random = random;
        this.clock = clock;
        String url = publicUrl.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** SPEC §10: a single-use sign-in link for this seller; NOT_FOUND for an unknown one. */
    public Link newLink(String sellerId) {
        directory.seller(sellerId);
        String token = random.token(32);
        Instant expires = clock.instant().plus(LINK_VALID);
        store.insertLink(hash(token), sellerId, expires);
        return new Link(base + SIGN_IN_PATH + token, expires);
    }

    /** The seller a link would sign in, without using it (opening the link changes nothing). */
    public Optional<Seller> linkSeller(String token) {
        return store.linkSeller(hash(token), clock.instant()).flatMap(this::activeSeller);
    }

    /** Uses the link and opens a session; empty when it is unknown, used, expired, or its seller is disabled. */
    public Optional<Session> signIn(String token) {
        Instant now = clock.instant();
        Optional<String> seller = store.linkSeller(hash(token), now);
        if (seller.isEmpty() || activeSeller(seller.get()).isEmpty() || !store.useLink(hash(token), now)) {
            return Optional.empty();
        }
        return Optional.of(open(seller.get(), now));
    }

    /**
     * SPEC §10: sign-in with one of the seller's addresses and the password from
     * {@code POST /api/sellers/{id}/credentials}; at most {@link #MAX_FAILURES} failures per address in
     * {@link #FAILURE_WINDOW}, after which even the right password waits (per node).
     */
    public SignIn signIn(String address, String password) {
        String key = address == null ? "" : address.strip().toLowerCase(java.util.Locale.ROOT);
        Instant now = clock.instant();
        java.util.Deque<Instant> failed = failures.computeIfAbsent(key, k -> new java.util.ArrayDeque<>());
        synchronized (failed) {
            while (!failed.isEmpty() && !failed.peekFirst().isAfter(now.minus(FAILURE_WINDOW))) {
                failed.pollFirst();
            }
            if (failed.size() >= MAX_FAILURES) {
                return new SignIn(Optional.empty(), true);
            }
        }
        Optional<String> seller = directory.login(key, password == null ? "" : password);
        if (seller.isEmpty()) {
            synchronized (failed) {
                failed.addLast(now);
            }
            if (failures.size() > 100_000) {
                failures.clear(); // a flood of made-up addresses must not fill the heap
            }
            return new SignIn(Optional.empty(), false);
        }
        return new SignIn(Optional.of(open(seller.get(), now)), false);
    }

    /** The outcome of a sign-in with a password: the session, or none, and whether the address is held back. */
    public record SignIn(Optional<Session> session, boolean limited) {
    }

    /** A random token for a form that is shown before anyone signed in (the password form). */
    public String formToken() {
        return random.token(32);
    }

    private Session open(String sellerId, Instant now) {
        String id = random.token(32);
        String csrf = random.token(32);
        Instant expires = now.plus(SESSION_VALID);
        store.insertSession(hash(id), sellerId, csrf, now, expires);
        return new Session(id, sellerId, csrf, expires);
    }

    /** The session with this id, while it lasts and its seller is not disabled. */
    public Optional<Session> session(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return Optional.empty();
        }
        return store.session(hash(id), clock.instant())
                .filter(s -> activeSeller(s[0]).isPresent())
                .map(s -> new Session(id, s[0], s[1], null));
    }

    public void signOut(String id) {
        store.deleteSession(hash(id));
    }

    private Optional<Seller> activeSeller(String sellerId) {
        try {
            Seller s = directory.seller(sellerId);
            return s.disabled() ? Optional.empty() : Optional.of(s);
        } catch (DirectoryException e) {
            return Optional.empty();
        }
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
