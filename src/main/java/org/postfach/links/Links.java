package org.postfach.links;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed links on {@code web.publicUrl} (SPEC §10): the buyer's one-click opt-out of a seller, and (with the console)
 * the seller's in-mail actions. A token names one action and what it acts on, sealed with a secret kept in data.dir:
 * it can be neither forged nor turned to another buyer, seller or action, and it shows nothing of what it names (a
 * forwarded message's link tells its reader no id).
 *
 * <p>Sealing is deterministic authenticated encryption in the SIV manner: the synthetic IV is HMAC-SHA256 (128 bits of
 * it) of the payload, which is then encrypted with AES-CTR under that IV; opening decrypts and checks the IV against the
 * payload's HMAC. Payload: {@code action \n subject \n party \n expiry} (epoch seconds, empty for a link that does not
 * expire). Token: {@code base64url(iv || ciphertext)}. No HTTP here: the pages that open links live in {@code web}.
 */
public final class Links {
    /** Where the one-click opt-out link is served, below {@code web.publicUrl}. */
    public static final String OPT_OUT_PATH = "/unsubscribe/";
    /** Where the in-mail actions of a buyer message are served, below {@code web.publicUrl}. */
    public static final String ACTION_PATH = "/action/";
    /** Longer tokens are not read at all (ids are at most 64 characters each). */
    static final int MAX_TOKEN = 512;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();
    private static final int IV_BYTES = 16;

    /** What a link does. The code is part of every signed token: never change one. */
    public enum Action {
        /** SPEC §10: the buyer (subject) opts out of one seller's (party) non-essential mail. */
        OPT_OUT("o"),
        /** SPEC §10: the seller (party) marks a buyer message (subject: its relay message id) "no response needed". */
        NO_RESPONSE_NEEDED("n"),
        /** SPEC §10: the seller (party) reports a buyer message (subject: its relay message id). */
        REPORT("r");

        private final String code;

        Action(String code) {
            this.code = code;
        }

        static Optional<Action> of(String code) {
            return Arrays.stream(values()).filter(a -> a.code.equals(code)).findFirst();
        }
    }

    /** A verified link: the action, what it acts on, and when it stops working (null: never). */
    public record Link(Action action, String subject, String party, Instant expires) {
    }

    private final Duration actionsValid;
    private final byte[] macKey;
    private final SecretKeySpec cipherKey;
    private final String base;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(Links::newCipher);

    public Links(byte[] key, URI publicUrl) {
        this(key, publicUrl, Duration.ofDays(30));
    }

    /** {@code actionsValid}: how long the in-mail actions' links work ({@code web.linkDays}). */
    public Links(byte[] key, URI publicUrl, Duration actionsValid) {
        this.actionsValid = actionsValid;
        if (key.length < 16) {
            throw new IllegalArgumentException("link key too short");
        }
        // two keys from the one secret, each for its own use
        this.macKey = derive(key, "postfach link mac");
        this.cipherKey = new SecretKeySpec(Arrays.copyOf(derive(key, "postfach link cipher"), 16), "AES");
        String url = publicUrl.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * SPEC §10: the link that opts {@code buyerId} out of {@code sellerId}'s non-essential mail. It does not expire: a
     * buyer may unsubscribe from a message read months later (and a mailbox provider's one-click button must work).
     */
    public String optOutUrl(String buyerId, String sellerId) {
        return base + OPT_OUT_PATH + token(Action.OPT_OUT, buyerId, sellerId, null);
    }

    /** Where every in-mail action link begins: {@code web.publicUrl} and the path. */
    public String actionPrefix() {
        return base + ACTION_PATH;
    }

    /** The two in-mail actions' links of one buyer message (SPEC §10). */
    public record Actions(String noResponseNeeded, String report) {
    }

    /**
     * SPEC §10: the links of the in-mail actions on a buyer message delivered to the seller; {@code relayMessageId}
     * names the message, and they work for {@code web.linkDays} from {@code now}.
     */
    public Actions actions(String relayMessageId, String sellerId, Instant now) {
        Instant expires = now.plus(actionsValid);
        return new Actions(base + ACTION_PATH + token(Action.NO_RESPONSE_NEEDED, relayMessageId, sellerId, expires),
                base + ACTION_PATH + token(Action.REPORT, relayMessageId, sellerId, expires));
    }

    /** A sealed token for this action; {@code expires} null for one that does not expire. */
    public String token(Action action, String subject, String party, Instant expires) {
        if (subject.indexOf('\n') >= 0 || party.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("an id with a line break cannot be put in a link");
        }
        return seal(action.code + "\n" + subject + "\n" + party + "\n"
                + (expires == null ? "" : Long.toString(expires.getEpochSecond())));
    }

    /** Any payload, sealed: for {@link #token} and for tests that need well-sealed nonsense. */
    String seal(String payload) {
        byte[] plain = payload.getBytes(StandardCharsets.UTF_8);
        byte[] iv = iv(plain);
        byte[] sealed = Arrays.copyOf(iv, IV_BYTES + plain.length);
        byte[] cipher = ctr(iv, plain);
        System.arraycopy(cipher, 0, sealed, IV_BYTES, cipher.length);
        return B64.encodeToString(sealed);
    }

    /** The link a token stands for, when it is well-formed, sealed with our key and not expired at {@code now}. */
    public Optional<Link> read(String token, Instant now) {
        if (token == null || token.length() > MAX_TOKEN) {
            return Optional.empty();
        }
        byte[] sealed;
        try {
            sealed = UNB64.decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (sealed.length <= IV_BYTES) {
            return Optional.empty();
        }
        byte[] iv = Arrays.copyOf(sealed, IV_BYTES);
        byte[] plain = ctr(iv, Arrays.copyOfRange(sealed, IV_BYTES, sealed.length));
        if (!MessageDigest.isEqual(iv(plain), iv)) { // constant time
            return Optional.empty();
        }
        String[] parts = new String(plain, StandardCharsets.UTF_8).split("\n", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        Optional<Action> action = Action.of(parts[0]);
        Instant expires;
        try {
            expires = parts[3].isEmpty() ? null : Instant.ofEpochSecond(Long.parseLong(parts[3]));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return Optional.empty();
        }
        if (action.isEmpty() || (expires != null && !now.isBefore(expires))) {
            return Optional.empty();
        }
        return Optional.of(new Link(action.get(), parts[1], parts[2], expires));
    }

    private byte[] iv(byte[] plain) {
        return Arrays.copyOf(macs.get().doFinal(plain), IV_BYTES); // doFinal resets the Mac for the next
    }

    private byte[] ctr(byte[] iv, byte[] input) {
        try {
            Cipher c = ciphers.get();
            c.init(Cipher.ENCRYPT_MODE, cipherKey, new IvParameterSpec(iv));
            return c.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR is always available", e);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR is always available", e);
        }
    }

    private static byte[] derive(byte[] key, String use) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(use.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
