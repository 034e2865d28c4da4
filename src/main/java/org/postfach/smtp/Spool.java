package org.postfach.smtp;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a message goes while it arrives (issue 10): the first {@link #IN_MEMORY} bytes in the heap, the rest in a
 * file under the spool directory, so a session receiving a large message holds a small buffer, not the message.
 * The file is removed by {@link #close()}; files left by a crash belong to messages never answered 250 and are
 * removed at start ({@link #clear(Path)}).
 */
final class Spool implements AutoCloseable {
    static final int IN_MEMORY = 256 * 1024;
    private final Path directory;
    private final Head head = new Head();
    private Path file;
    private OutputStream tail;
    private long size;

    Spool(Path directory) {
        this.directory = directory;
    }

    void write(byte[] b, int off, int len) throws IOException {
        int inHead = (int) Math.max(0, Math.min(len, IN_MEMORY - size));
        head.write(b, off, inHead);
        if (inHead < len) {
            if (tail == null) {
                Files.createDirectories(directory);
                file = Files.createTempFile(directory, "data-", ".eml");
                tail = new BufferedOutputStream(Files.newOutputStream(file), 65536);
            }
            tail.write(b, off + inHead, len - inHead);
        }
        size += len;
    }

    long size() {
        return size;
    }

    /** The whole message, read back into one array of exactly its size. */
    byte[] bytes() throws IOException {
        byte[] all = new byte[Math.toIntExact(size)];
        int at = head.copyTo(all);
        if (tail == null) {
            return all;
        }
        tail.flush();
        try (InputStream in = Files.newInputStream(file)) {
            while (at < all.length) {
                int n = in.read(all, at, all.length - at);
                if (n < 0) {
                    throw new IOException("spool file shorter than the message: " + file);
                }
                at += n;
            }
        }
        return all;
    }

    @Override
    public void close() {
        try {
            if (tail != null) {
                tail.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a leftover spool file is removed at the next start
        }
        tail = null;
        file = null;
    }

    /**
     * The bytes kept in the heap, in pieces of 8 KB, 16 KB and so on up to 64 KB: a growing array allocated about
     * two and a half times a 100 KB message while it arrived (each growth a new array and a copy).
     */
    private static final class Head {
        private final List<byte[]> pieces = new ArrayList<>();
        private byte[] last;
        private int used; // of last

        void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (last == null || used == last.length) {
                    last = new byte[last == null ? 8192 : Math.min(last.length * 2, 65536)];
                    pieces.add(last);
                    used = 0;
                }
                int n = Math.min(len, last.length - used);
                System.arraycopy(b, off, last, used, n);
                used += n;
                off += n;
                len -= n;
            }
        }

        /** Copies the bytes into the start of {@code target}; answers how many. */
        int copyTo(byte[] target) {
            int at = 0;
            for (byte[] p : pieces) {
                int n = p == last ? used : p.length;
                System.arraycopy(p, 0, target, at, n);
                at += n;
            }
            return at;
        }
    }

    /** At start: spool files of a previous run were never acknowledged; they go. */
    static void clear(Path directory) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (var files = Files.list(directory)) {
            files.filter(p -> p.getFileName().toString().startsWith("data-")).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // not ours to worry about
                }
            });
        } catch (IOException ignored) {
            // nothing to clear
        }
    }
}
