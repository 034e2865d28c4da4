package org.postfach.proof;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.james.jdkim.DKIMSigner;

/** A {@link Dns} from a table; names in {@link #failing} throw a temporary failure, as a timeout would. */
public final class StubDns implements Dns {
    private final Map<String, List<String>> records = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    public volatile boolean allFail;
    public final List<String> asked = java.util.Collections.synchronizedList(new ArrayList<>());

    public StubDns add(String name, Type type, String... values) {
        records.computeIfAbsent(key(name, type), k -> new ArrayList<>()).addAll(List.of(values));
        return this;
    }

    public StubDns txt(String name, String value) {
        return add(name, Type.TXT, value);
    }

    public StubDns fail(String name) {
        failing.add(name.toLowerCase(Locale.ROOT));
        return this;
    }

    @Override
    public List<String> lookup(String name, Type type) throws TemporaryFailure {
        asked.add(type + " " + name);
        if (allFail || failing.contains(name.toLowerCase(Locale.ROOT))) {
            throw new TemporaryFailure("timed out: " + name);
        }
        return List.copyOf(records.getOrDefault(key(name, type), List.of()));
    }

    private static String key(String name, Type type) {
        String n = name.toLowerCase(Locale.ROOT);
        return type + " " + (n.endsWith(".") ? n.substring(0, n.length() - 1) : n);
    }

    /** One RSA key for every test signature. */
    public static final KeyPair KEY;

    static {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KEY = g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes the test key at {@code selector._domainkey.domain}. */
    public StubDns dkimKey(String selector, String domain) {
        return txt(selector + "._domainkey." + domain,
                "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(KEY.getPublic().getEncoded()));
    }

    /** {@code message} (CRLF lines) with a DKIM-Signature for {@code d=domain} prepended. */
    public static byte[] sign(String message, String selector, String domain) {
        try {
            DKIMSigner signer = new DKIMSigner("v=1; a=rsa-sha256; c=relaxed/relaxed; s=" + selector + "; d=" + domain
                    + "; h=from:to:subject; bh=; b=;", KEY.getPrivate());
            String header = signer.sign(new java.io.ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
            return (header + "\r\n" + message).getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
