package org.postfach.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.postfach.mail.MessageBytes;

/**
 * Where the raw forms of accepted messages live (ADR 0004). On an H2 file database, for a message of {@link
 * #IN_FILE_FROM} bytes or more: one file per message in a directory beside the database
 * ({@code <database>-bodies/<UTC day>/<name>.eml}: the original form, then the delivered one unless its body is
 * the original's, see {@link Kept}), written and synced before the transaction that inserts its rows. H2's
 * copy-on-write file held each large body two to three times over (page splits, chunk compaction), and that, not
 * the policy work, was the cost of 100 KB messages (bench/RESULTS.md). Smaller messages, and all on PostgreSQL
 * and an in-memory H2, stay in {@code message_bodies.content}.
 *
 * <p>A file is written as {@code <name>.eml.new} and renamed after its transaction committed: a crash leaves
 * either a committed file (found through its row, under either name) or a {@code .new} file that no row names,
 * which {@link BodyRecovery#recover} removes. A purge lists the files it deletes in a journal before it commits,
 * so that a crash between its commit and the deletions cannot leave the bodies of purged messages behind (SPEC
 * §8).
 */
public final class Bodies {
    /** The columns {@link #read} takes, in this order. */
    static final String COLUMNS = "content, file_name, file_offset, file_length";
    static final Bodies IN_TABLE = new Bodies(null);
    /**
     * Forms of fewer bytes together stay in the table on H2 too. A small message's file cost more than it saved:
     * creating, syncing and renaming it, and syncing its directory, at 5 KB cut the relay's rate by 10-15 % (two
     * interleaved runs each, bench/RESULTS.md), while at 100 KB the file gained 16 %.
     */
    static final int IN_FILE_FROM = 64 * 1024;
    static final String PENDING = ".new";
    static final String JOURNAL = "purging";

    final Path directory; // null: in the table
    private volatile String lastDay = "";

    private Bodies(Path directory) {
        this.directory = directory;
    }

    /** In files beside an H2 file database ({@code jdbc:h2:file:<path>}), else in the table. */
    static Bodies forUrl(String url) {
        if (!url.startsWith("jdbc:h2:file:")) {
            return IN_TABLE;
        }
        String path = url.substring("jdbc:h2:file:".length()).split(";", 2)[0];
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return new Bodies(Path.of(path + "-bodies").toAbsolutePath().normalize());
    }

    boolean inFiles() {
        return directory != null;
    }

    /**
     * Both forms of one message, kept in a file before its transaction. The original form is {@code [0,
     * originalLength)} of the file. The delivered form is {@code deliveredHead} (kept in the row's content; null for
     * none) followed by {@code [deliveredOffset, deliveredOffset + deliveredLength)} of the file: when the rewrite
     * left the body as it was (the usual case: it changes headers), that range is the original's body and only the
     * delivered header block is stored again; else the whole delivered form follows the original in the file.
     * deliveredLength is -1 when there is no delivered form.
     */
    record Kept(String name, long originalLength, byte[] deliveredHead, long deliveredOffset, long deliveredLength) {
        Kept(String name) {
            this(name, 0, null, 0, -1);
        }
    }

    /**
     * Writes and syncs the file of one message's forms ({@code delivered} may be null); null when they go into the
     * table: in table mode, and for a message under {@link #IN_FILE_FROM} bytes.
     */
    Kept keep(byte[] original, byte[] delivered, Instant receivedAt) {
        if (directory == null || original.length + (delivered == null ? 0 : delivered.length) < IN_FILE_FROM) {
            return null;
        }
        String day = receivedAt.atOffset(ZoneOffset.UTC).toLocalDate().toString();
        try {
            Path dayDirectory = directory.resolve(day);
            if (!day.equals(lastDay)) {
                Files.createDirectories(dayDirectory);
                sync(directory); // the day's directory entry is on disk before a file in it is reported stored
                lastDay = day;
            }
            // a form without an empty line has no body to share
            int originalBlank = delivered == null ? -1 : MessageBytes.blankLine(original, 0, original.length);
            int deliveredBlank = originalBlank < 0 ? -1 : MessageBytes.blankLine(delivered, 0, delivered.length);
            int originalBody = originalBlank < 0 ? -1 : MessageBytes.after(original, originalBlank);
            int deliveredBody = deliveredBlank < 0 ? -1 : MessageBytes.after(delivered, deliveredBlank);
            boolean shared = deliveredBody >= 0 && java.util.Arrays.equals(original, originalBody, original.length,
                    delivered, deliveredBody, delivered.length);
            while (true) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                String name = day + "/" + Long.toHexString(random.nextLong() | Long.MIN_VALUE)
                        + Long.toHexString(random.nextLong() | Long.MIN_VALUE) + ".eml";
                Path file = directory.resolve(name + PENDING);
                try {
                    writeSynced(file, original, delivered == null || shared ? new byte[0] : delivered,
                            StandardOpenOption.CREATE_NEW);
                } catch (java.nio.file.FileAlreadyExistsException taken) {
                    continue; // 128 random bits met an existing name: draw again
                }
                sync(dayDirectory); // the file's name, too, survives a power loss
                if (delivered == null) {
                    return new Kept(name, original.length, null, 0, -1);
                }
                return shared ? new Kept(name, original.length, java.util.Arrays.copyOf(delivered, deliveredBody),
                        originalBody, original.length - originalBody)
                        : new Kept(name, original.length, null, original.length, delivered.length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a message's file under " + directory, e);
        }
    }

    /** The rows' transaction committed: the file loses its {@code .new} (a lost rename is harmless, see read). */
    void committed(Collection<Kept> kept) {
        for (Kept k : kept) {
            try {
                Files.move(directory.resolve(k.name() + PENDING), directory.resolve(k.name()),
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // still readable under its pending name; recover renames it at the next start
            }
        }
    }

    /** The rows' transaction was rolled back: nobody will ask for these files. */
    void discard(Collection<Kept> kept) {
        for (Kept k : kept) {
            deleteQuietly(directory.resolve(k.name() + PENDING));
        }
    }

    /**
     * The form a row of {@link #COLUMNS} stands for: its content, followed by its range of the named file if it
     * names one ({@link Kept}).
     */
    byte[] read(ResultSet rs, int first) throws SQLException {
        byte[] head = rs.getBytes(first);
        String name = rs.getString(first + 1);
        if (name == null) {
            return head;
        }
        long offset = rs.getLong(first + 2);
        long length = rs.getLong(first + 3);
        if (directory == null) {
            throw new SQLException("message_bodies names the file " + name + " but this database keeps no files");
        }
        int from = head == null ? 0 : head.length;
        byte[] out = new byte[Math.toIntExact(from + length)];
        if (head != null) {
            System.arraycopy(head, 0, out, 0, from);
        }
        for (String candidate : List.of(name, name + PENDING)) {
            try (FileChannel ch = FileChannel.open(directory.resolve(candidate), StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.wrap(out, from, out.length - from);
                while (b.hasRemaining()) {
                    if (ch.read(b, offset + b.position() - from) < 0) {
                        throw new SQLException("the file " + candidate + " is shorter than its row says");
                    }
                }
                return out;
            } catch (NoSuchFileException e) {
                // the rename after the commit may have been lost: the pending name next
            } catch (IOException e) {
                throw new SQLException("reading " + candidate + ": " + e.getMessage(), e);
            }
        }
        throw new SQLException("the file of a stored message is missing: " + directory.resolve(name));
    }

    /**
     * Before a purge commits: the files it is about to delete go into the journal (synced), so that {@link
     * BodyRecovery} can finish the deletion if the process dies between the commit and {@link #purged}.
     */
    void purging(List<String> names) {
        if (directory == null || names.isEmpty()) {
            return;
        }
        try {
            Path journal = directory.resolve(JOURNAL);
            Files.createDirectories(directory);
            writeSynced(journal, (String.join("\n", names) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    new byte[0], StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            sync(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the purge journal under " + directory, e);
        }
    }

    /** The purge committed: its files go, then its journal. */
    void purged(List<String> names) {
        if (directory == null || names.isEmpty()) {
            return;
        }
        names.forEach(n -> {
            deleteQuietly(directory.resolve(n));
            deleteQuietly(directory.resolve(n + PENDING));
        });
        deleteQuietly(directory.resolve(JOURNAL));
    }

    /** Writes {@code first} then {@code second} to {@code file} opened with {@code how}, and syncs it. */
    private static void writeSynced(Path file, byte[] first, byte[] second, StandardOpenOption... how)
            throws IOException {
        java.util.Set<StandardOpenOption> options = new java.util.HashSet<>(List.of(how));
        options.add(StandardOpenOption.WRITE);
        try (FileChannel ch = FileChannel.open(file, options)) {
            ByteBuffer[] data = {ByteBuffer.wrap(first), ByteBuffer.wrap(second)};
            while (data[0].hasRemaining() || data[1].hasRemaining()) {
                ch.write(data);
            }
            ch.force(true);
        }
    }

    private static void sync(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // left for the next purge or start; nothing reads it
        }
    }

    @Override
    public String toString() {
        return directory == null ? "in the table" : directory.toString();
    }
}
