package org.postfach.archive;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The hash of one archive entry: SHA-256 over the previous entry's hash and the entry's unchangeable content
 * (identity, time, route, parties, relay Message-ID, subject, and the hashes of both raw forms). Status,
 * response flags and legal hold change over a message's life and are not part of it.
 */
public final class ChainHash {
    public static final String GENESIS = "0".repeat(64);

    private ChainHash() {
    }

    /**
     * What an entry's hash is computed over; the raw forms by their own hashes ({@link #hex}), so that the costly
     * part is worked out before the archive head is locked.
     */
    public record Content(long id, Instant receivedAt, String route, String sellerId, String envelopeFrom,
                          String envelopeTo, String relayMessageId, String subject, String originalHash,
                          String deliveredHash) {
    }

    public static String of(String previous, Content c) {
        MessageDigest d = sha256();
        String head = previous + "\n" + c.id() + "\n" + c.receivedAt().toEpochMilli() + "\n" + c.route() + "\n"
                + nz(c.sellerId()) + "\n" + nz(c.envelopeFrom()) + "\n" + nz(c.envelopeTo()) + "\n"
                + c.relayMessageId() + "\n" + nz(c.subject()) + "\n" + c.originalHash() + "\n"
                + c.deliveredHash() + "\n";
        return HexFormat.of().formatHex(d.digest(head.getBytes(StandardCharsets.UTF_8)));
    }

    /** The hash of one raw form, {@code "-"} for a form that does not exist. */
    public static String hex(byte[] bytes) {
        return bytes == null ? "-" : HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
