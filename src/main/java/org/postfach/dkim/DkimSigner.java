package org.postfach.dkim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.function.UnaryOperator;
import org.apache.james.jdkim.DKIMSigner;
import org.apache.james.jdkim.exceptions.FailException;
import org.postfach.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs outbound mail for the alias domain (SPEC §7): rsa-sha256, relaxed/relaxed, d= the alias domain. Headers
 * named in {@code h=} but missing from a message are signed as absent, so nobody can add them later.
 */
public final class DkimSigner implements UnaryOperator<byte[]> {
    /** DKIM off: the message goes out as it is. */
    public static final UnaryOperator<byte[]> NONE = message -> message;
    /**
     * Only headers a relayed message or a notice commonly carries; all of them are ours after the rewrite. RFC 8058
     * one-click opt-out counts only when the signature covers both List-Unsubscribe fields (SPEC §10).
     */
    public static final String SIGNED_HEADERS = "From:To:Subject:Date:Message-ID:In-Reply-To:References:"
            + "MIME-Version:Content-Type:Content-Transfer-Encoding:Reply-To:Cc:List-Unsubscribe:List-Unsubscribe-Post";
    private static final Logger LOG = LoggerFactory.getLogger(DkimSigner.class);
    private static final byte[] CRLF = {'\r', '\n'};

    private final DKIMSigner signer;
    private final String domain;
    private final String selector;

    public DkimSigner(String domain, String selector, PrivateKey key) {
        this.domain = domain;
        this.selector = selector;
        // t= left empty: jDKIM fills in the signing time
        this.signer = new DKIMSigner("v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + domain + "; s=" + selector
                + "; t=; h=" + SIGNED_HEADERS + "; bh=; b=;", key);
    }

    /** The signer the settings ask for, {@link #NONE} when DKIM is not configured; fails on an unreadable key. */
    public static UnaryOperator<byte[]> of(Settings.Dkim dkim, String domain) {
        return dkim.enabled() ? new DkimSigner(domain, dkim.selector(), readKey(dkim.privateKey())) : NONE;
    }

    @Override
    public byte[] apply(byte[] message) {
        return sign(message);
    }

    /**
     * The message with a {@code DKIM-Signature:} header prepended. A message jDKIM cannot parse (a line over
     * 10,000 bytes) goes out unsigned with a warning rather than not at all.
     */
    public byte[] sign(byte[] message) {
        String field;
        try {
            field = signer.sign(new ByteArrayInputStream(message));
        } catch (IOException | FailException | RuntimeException e) {
            LOG.warn("DKIM: message not signed (d={} s={}): {}", domain, selector, e.getMessage());
            return message;
        }
        // Fold between tags (the whitespace relaxed canonicalization collapses) to keep header lines short.
        byte[] header = field.replace("; ", ";\r\n\t").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[header.length + CRLF.length + message.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(CRLF, 0, out, header.length, CRLF.length);
        System.arraycopy(message, 0, out, header.length + CRLF.length, message.length);
        return out;
    }

    /** A PEM PKCS#8 RSA private key ({@code BEGIN PRIVATE KEY}); fails naming the file. */
    public static PrivateKey readKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("dkim.privateKey " + file + ": cannot read the file ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        if (pem.contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalArgumentException("dkim.privateKey " + file + ": PKCS#1 key; convert it with "
                    + "openssl pkcs8 -topk8 -nocrypt, or make one with postfach dkim keygen");
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("dkim.privateKey " + file + ": no PEM PKCS#8 private key "
                    + "(BEGIN PRIVATE KEY) in the file");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("dkim.privateKey " + file + ": not an RSA private key ("
                    + e.getMessage() + ")", e);
        }
    }
}
