package org.postfach.directory;

import java.security.SecureRandom;

/**
 * Random aliases exactly {@code length} characters long including {@code @domain} (SPEC §2):
 * local part of lowercase [a-z0-9] from a cryptographically secure generator.
 */
public final class AliasGenerator {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private final SecureRandom random = new SecureRandom();
    private final String domain;
    private final int localLength;

    public AliasGenerator(String domain, int totalLength) {
        this.domain = domain;
        this.localLength = totalLength - domain.length() - 1;
        if (localLength < 12) {
            throw new IllegalArgumentException("postfach.alias.length " + totalLength + " leaves only " + localLength
                    + " characters for the local part; at least 12 are needed");
        }
    }

    public String next() {
        char[] local = new char[localLength];
        for (int i = 0; i < localLength; i++) {
            local[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(local) + "@" + domain;
    }

    /** Random token of the same alphabet, for relay Message-IDs and similar names. */
    public String token(int length) {
        char[] t = new char[length];
        for (int i = 0; i < length; i++) {
            t[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(t);
    }
}
