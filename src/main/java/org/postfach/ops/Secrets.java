package org.postfach.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Secrets generated at first start and kept in data.dir (SPEC §9), readable only by the relay's user. */
public final class Secrets {
    private Secrets() {
    }

    /** A secret's value and whether it was generated just now. */
    public record Secret(String value, boolean created) {
    }

    public static Secret loadOrCreate(Path dataDir, String name, int bytes) throws IOException {
        Path file = dataDir.resolve(name);
        if (Files.exists(file)) {
            return new Secret(Files.readString(file, StandardCharsets.US_ASCII).trim(), false);
        }
        Files.createDirectories(dataDir);
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        String value = HexFormat.of().formatHex(random);
        Path tmp = dataDir.resolve("." + name + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, value + "\n", StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, file);
        } catch (FileAlreadyExistsException e) {
            Files.delete(tmp); // another node or process was first: use its secret
            return new Secret(Files.readString(file, StandardCharsets.US_ASCII).trim(), false);
        }
        return new Secret(value, true);
    }
}
