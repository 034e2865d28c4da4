package org.postfach.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10: a message is spooled to disk while it arrives; only its head is kept in the heap. */
class SpoolTest {
    @TempDir
    Path dir;

    static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    static void writeInChunks(Spool spool, byte[] data, int chunk) throws Exception {
        for (int at = 0; at < data.length; at += chunk) {
            spool.write(data, at, Math.min(chunk, data.length - at));
        }
    }

    @Test
    void aSmallMessageNeverTouchesTheDisk() throws Exception {
        byte[] data = random(Spool.IN_MEMORY);
        try (Spool spool = new Spool(dir.resolve("spool"))) {
            writeInChunks(spool, data, 8192);
            assertThat(spool.size()).isEqualTo(data.length);
            assertThat(spool.bytes()).isEqualTo(data);
            assertThat(dir.resolve("spool")).doesNotExist();
        }
    }

    @Test
    void aLargeMessageGoesToAFileAndComesBackWholeAndTheFileGoesWithTheSession() throws Exception {
        byte[] data = random(3 * Spool.IN_MEMORY + 12345);
        Path spoolDir = dir.resolve("spool");
        try (Spool spool = new Spool(spoolDir)) {
            writeInChunks(spool, data, 8191); // a chunk that straddles the end of the head
            try (var files = Files.list(spoolDir)) {
                assertThat(files.toList()).singleElement()
                        .satisfies(f -> assertThat(Files.size(f)).isBetween(1L, (long) data.length - Spool.IN_MEMORY));
            }
            assertThat(spool.bytes()).isEqualTo(data);
            assertThat(spool.bytes()).as("read twice").isEqualTo(data);
        }
        try (var files = Files.list(spoolDir)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void anySizeInAnyChunksComesBackAsItWent() throws Exception {
        Random random = new Random(3);
        for (int i = 0; i < 300; i++) {
            byte[] data = random(random.nextInt(i % 10 == 0 ? 2 * Spool.IN_MEMORY : 70_000));
            try (Spool spool = new Spool(dir.resolve("spool"))) {
                for (int at = 0; at < data.length; ) {
                    int n = Math.min(1 + random.nextInt(i % 2 == 0 ? 100 : 70_000), data.length - at);
                    spool.write(data, at, n);
                    at += n;
                }
                assertThat(spool.size()).isEqualTo(data.length);
                assertThat(spool.bytes()).isEqualTo(data);
            }
        }
    }

    @Test
    void leftoversOfACrashAreClearedAtStartAndNothingElse() throws Exception {
        Path spoolDir = Files.createDirectories(dir.resolve("spool"));
        Files.write(spoolDir.resolve("data-123.eml"), random(10));
        Files.write(spoolDir.resolve("README"), random(10));
        Spool.clear(spoolDir);
        Spool.clear(dir.resolve("missing")); // no directory yet: nothing to do
        try (var files = Files.list(spoolDir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("README");
        }
    }
}
