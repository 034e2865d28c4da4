package org.postfach.dkim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** {@code postfach dkim keygen} (SPEC §9): an RSA 2048 key pair, the private key file and the DNS record. */
public final class DkimKeys {
    /** One or more DNS labels: what a selector may be. */
    public static final String SELECTOR = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*";

    private DkimKeys() {
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes the private key as PEM PKCS#8, readable by the owner only where the file system knows POSIX modes.
     * Never overwrites: an existing file fails with {@link java.nio.file.FileAlreadyExistsException}.
     */
    public static void writePrivateKey(KeyPair keys, Path file) throws IOException {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(pem.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** The value of the TXT record: {@code v=DKIM1; k=rsa; p=<base64 SubjectPublicKeyInfo>}. */
    public static String txtValue(PublicKey key) {
        return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /**
     * The record as a zone file line. The value of a 2048-bit key is longer than the 255 bytes one DNS string may
     * hold, so it is split into several quoted strings, which resolvers join (RFC 6376 §3.6.2.2).
     */
    public static String txtRecord(String selector, String domain, PublicKey key) {
        String value = txtValue(key);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < value.length(); i += 250) {
            parts.add("\"" + value.substring(i, Math.min(value.length(), i + 250)) + "\"");
        }
        return selector + "._domainkey." + domain + ". IN TXT " + String.join(" ", parts);
    }
}
