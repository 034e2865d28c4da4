package org.postfach.bounce;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-message bounce addresses (VERP, SPEC §3.4): {@code bounce+<token>.<signature>@domain}. The signature is
 * an HMAC over the token with a secret kept in data.dir, so that bounce addresses cannot be forged.
 */
public final class VerpAddresses {
    private static final Pattern FORM = Pattern.compile("bounce\\+([a-z0-9]{8,64})\\.([a-z0-9]{16})");
    private final byte[] key;
    private final String domain;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public VerpAddresses(byte[] key, String domain) {
        if (key.length < 16) {
            throw new IllegalArgumentException("VERP key too short");
        }
        this.key = key.clone();
        this.domain = domain;
    }

    public String address(String token) {
        return "bounce+" + token + "." + signature(token) + "@" + domain;
    }

    /** The token of a well-formed, correctly signed bounce address on our domain. */
    public Optional<String> token(String localPart) {
        Matcher m = FORM.matcher(localPart.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        byte[] expected = signature(m.group(1)).getBytes(StandardCharsets.US_ASCII);
        byte[] given = m.group(2).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? Optional.of(m.group(1)) : Optional.empty();
    }

    public boolean looksLikeBounceAddress(String localPart) {
        return localPart.toLowerCase(Locale.ROOT).startsWith("bounce+");
    }

    private String signature(String token) {
        byte[] h = macs.get().doFinal(token.getBytes(StandardCharsets.US_ASCII)); // doFinal resets it for the next
        char[] hex = new char[16];
        for (int i = 0; i < 8; i++) {
            hex[2 * i] = Character.forDigit((h[i] >> 4) & 0xf, 16);
            hex[2 * i + 1] = Character.forDigit(h[i] & 0xf, 16);
        }
        return new String(hex);
    }

    /**
     * One Mac per thread, keyed once: looking the algorithm up and keying it for each message, and formatting the
     * hex with String.format, was 1.9 % of the relay's CPU samples at 100 KB (bench/RESULTS.md, ninth session).
     */
    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
