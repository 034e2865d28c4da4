package org.postfach.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing to the segment files ({@link Segments#append}): a caller whose thread is interrupted (a session being
 * stopped) neither loses its message nor breaks the file for the sessions writing to it at the same time.
 */
class SegmentsTest {
    static final String DAY = "2026-11-24";
    @TempDir
    Path dir;

    static byte[] bytes(String text, int size) {
        byte[] b = new byte[size];
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) {
            b[i] = t[i % t.length];
        }
        return b;
    }

    byte[] read(Segments.Written w, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(dir.resolve(w.name()), StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining() && ch.read(b, w.at() + b.position()) > 0) {
                // on
            }
            return b.array();
        }
    }

    @Test
    void anInterruptedCallerWritesItsMessageKeepsItsInterruptAndLeavesTheFileUsable() throws Exception {
        Segments segments = new Segments(dir);
        Segments.Written[] got = new Segments.Written[1];
        boolean[] stillInterrupted = new boolean[1];
        Thread t = new Thread(() -> {
            Thread.currentThread().interrupt(); // a session being stopped while it stores its message
            try {
                got[0] = segments.append(DAY, bytes("interrupted ", 9000), new byte[0]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            stillInterrupted[0] = Thread.currentThread().isInterrupted();
        });
        t.start();
        t.join(10_000);
        assertThat(got[0]).as("written and synced, not given up").isNotNull();
        assertThat(stillInterrupted[0]).isTrue();
        Segments.Written next = segments.append(DAY, bytes("next ", 4000), new byte[0]);
        assertThat(next.name()).as("the channel was not closed under the others").isEqualTo(got[0].name());
        assertThat(read(got[0], 9000)).isEqualTo(bytes("interrupted ", 9000));
        assertThat(read(next, 4000)).isEqualTo(bytes("next ", 4000));
    }
}
