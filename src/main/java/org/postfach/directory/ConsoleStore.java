package org.postfach.directory;

import java.time.Instant;
import java.util.Optional;

/** Port: the seller console's sign-in links and sessions (SPEC §10), by the SHA-256 of their secrets. */
public interface ConsoleStore {
    void insertLink(String tokenHash, String sellerId, Instant expiresAt);

    /** The seller of an unused link that has not expired at {@code now}. */
    Optional<String> linkSeller(String tokenHash, Instant now);

    /** Marks an unused, unexpired link used; true for the one caller that did (on every node alike). */
    boolean useLink(String tokenHash, Instant now);

    void insertSession(String idHash, String sellerId, String csrf, Instant createdAt, Instant expiresAt);

    /** The seller and CSRF token of a session that has not expired at {@code now}. */
    Optional<String[]> session(String idHash, Instant now);

    void deleteSession(String idHash);
}
