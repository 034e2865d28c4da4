package org.postfach.proof;

import java.util.List;

/**
 * The DNS look-ups the sender proof needs. An empty list means "no such record" (NXDOMAIN or no data); a
 * {@link TemporaryFailure} means the answer is unknown right now (timeout, SERVFAIL) and must never become a
 * refusal.
 */
public interface Dns {
    enum Type { A, AAAA, MX, TXT }

    /**
     * Records of {@code type} at {@code name}: addresses for A/AAAA, exchange host names (no trailing dot) for MX,
     * each record's strings joined for TXT.
     */
    List<String> lookup(String name, Type type) throws TemporaryFailure;

    default List<String> txt(String name) throws TemporaryFailure {
        return lookup(name, Type.TXT);
    }

    /** The look-up did not get an answer; try again later. */
    final class TemporaryFailure extends Exception {
        public TemporaryFailure(String message) {
            super(message);
        }
    }
}
