package org.postfach.smtp;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

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
        if (tail == null) {
            return head.toByteArray();
        }
        tail.flush();
        byte[] all = new byte[Math.toIntExact(size)];
        head.copyTo(all);
        int at = head.size();
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

    /** The bytes kept in the heap, copied straight into the whole message (toByteArray would copy twice). */
    private static final class Head extends ByteArrayOutputStream {
        Head() {
            super(8192);
        }

        void copyTo(byte[] target) {
            System.arraycopy(buf, 0, target, 0, count);
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
