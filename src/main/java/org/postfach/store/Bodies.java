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
import org.postfach.mail.MessageBytes;

/**
 * Where the raw forms of accepted messages live (ADR 0004). On an H2 file database, for a message of {@link
 * #IN_FILE_FROM} bytes or more: in a segment file beside the database ({@code <database>-bodies/<UTC
 * day>/<name>.seg}) that concurrent sessions append to, each message's forms at a range of their own (the original,
 * then the delivered form unless its body is the original's, see {@link Kept}), written and synced before the
 * transaction that inserts its rows; one sync of the segment serves every session that wrote to it meanwhile
 * ({@link GroupSync}). H2's copy-on-write file held each large body two to three times over (page splits, chunk
 * compaction), and that, not the policy work, was the cost of 100 KB messages; a file of its own per message then
 * cost the sessions much of their kernel time in creating (an inode each), syncing and renaming files
 * (bench/RESULTS.md, sixth session). Smaller messages, and all on PostgreSQL and an in-memory H2, stay in
 * {@code message_bodies.content}.
 *
 * <p>A range written for a transaction that did not commit is never named by a row: a rolled-back one is zeroed at
 * once, one a crash interrupted stays unnamed bytes (never answered 250) until its segment goes. A purge zeroes
 * the ranges of purged messages and syncs that before it deletes its journal, and deletes a segment once no row
 * names it (SPEC §8); the journal lists the ranges before the purge commits, so that a crash in between cannot
 * leave the bodies of purged messages behind. Files of one message each ({@code <name>.eml}, written before the
 * sixth session, with the {@code .new} name they had until their transaction committed) are still read,
 * recovered and purged.
 */
public final class Bodies {
    /** The columns {@link #read} takes, in this order. */
    static final String COLUMNS = "content, file_name, file_offset, file_length";
    static final Bodies IN_TABLE = new Bodies(null);
    /**
     * Forms of fewer bytes together stay in the table on H2 too. A small message's file cost more than it saved:
     * creating, syncing and renaming it, and syncing its directory, at 5 KB cut the relay's rate by 10-15 % (two
     * interleaved runs each, bench/RESULTS.md), while at 100 KB the file gained 16 %. In segments (sixth session)
     * 5 KB messages were still slower than in the table: 726/871 against 913/1,004 msg/s.
     */
    static final int IN_FILE_FROM = 64 * 1024;
    static final String SEGMENT = Segments.SUFFIX;
    static final String PENDING = ".new";
    static final String JOURNAL = "purging";
    private static final byte[] NONE = new byte[0];

    final Path directory; // null: in the table
    final Segments segments; // null: in the table

    private Bodies(Path directory) {
        this.directory = directory;
        this.segments = directory == null ? null : new Segments(directory);
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
    record Kept(String name, long originalOffset, long originalLength, byte[] deliveredHead, long deliveredOffset,
                long deliveredLength) {
        Kept(String name) {
            this(name, 0, 0, null, 0, -1);
        }
    }

    /**
     * Writes one message's forms ({@code delivered} may be null) to the current segment and syncs them; null when
     * they go into the table: in table mode, and for a message under {@link #IN_FILE_FROM} bytes. The caller ends
     * the range's life with {@link #committed} or {@link #discard}.
     */
    Kept keep(byte[] original, byte[] delivered, Instant receivedAt) {
        if (directory == null || original.length + (delivered == null ? 0 : delivered.length) < IN_FILE_FROM) {
            return null;
        }
        String day = receivedAt.atOffset(ZoneOffset.UTC).toLocalDate().toString();
        // a form without an empty line has no body to share
        int originalBlank = delivered == null ? -1 : MessageBytes.blankLine(original, 0, original.length);
        int deliveredBlank = originalBlank < 0 ? -1 : MessageBytes.blankLine(delivered, 0, delivered.length);
        int originalBody = originalBlank < 0 ? -1 : MessageBytes.after(original, originalBlank);
        int deliveredBody = deliveredBlank < 0 ? -1 : MessageBytes.after(delivered, deliveredBlank);
        boolean shared = deliveredBody >= 0 && java.util.Arrays.equals(original, originalBody, original.length,
                delivered, deliveredBody, delivered.length);
        byte[] second = delivered == null || shared ? NONE : delivered;
        long at;
        String name;
        try {
            Segments.Written w = segments.append(day, original, second);
            at = w.at();
            name = w.name();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a message to a segment under " + directory, e);
        }
        return delivered == null ? new Kept(name, at, original.length, null, 0, -1)
                : shared ? new Kept(name, at, original.length, java.util.Arrays.copyOf(delivered, deliveredBody),
                        at + originalBody, original.length - originalBody)
                : new Kept(name, at, original.length, null, at + original.length, delivered.length);
    }

    /**
     * The rows' transaction committed: a segment's range is named by them now; a file of its own (left pending by
     * a crash before the sixth session) loses its {@code .new} (a lost rename is harmless, see read).
     */
    void committed(Collection<Kept> kept) {
        for (Kept k : kept) {
            if (k.name().endsWith(SEGMENT)) {
                segments.ended(k.name());
                continue;
            }
            try {
                Files.move(directory.resolve(k.name() + PENDING), directory.resolve(k.name()),
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // still readable under its pending name; recover renames it at the next start
            }
        }
    }

    /** The rows' transaction was rolled back: nobody will ask for these bytes, and they are zeroed or deleted. */
    void discard(Collection<Kept> kept) {
        for (Kept k : kept) {
            if (k.name().endsWith(SEGMENT)) {
                List<long[]> ranges = new java.util.ArrayList<>(List.of(new long[] {k.originalOffset(),
                        k.originalLength()}));
                if (k.deliveredHead() == null && k.deliveredLength() > 0) {
                    ranges.add(new long[] {k.deliveredOffset(), k.deliveredLength()});
                }
                segments.zero(k.name(), ranges, false);
                segments.ended(k.name());
            } else {
                deleteQuietly(directory.resolve(k.name() + PENDING));
            }
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
     * Before a purge commits: what it is about to remove goes into the journal (synced), so that {@link
     * BodyRecovery} can finish the removal if the process dies between the commit and {@link #purged}.
     */
    void purging(List<BodyRange> ranges) {
        if (directory == null || ranges.isEmpty()) {
            return;
        }
        try {
            Path journal = directory.resolve(JOURNAL);
            Files.createDirectories(directory);
            String lines = ranges.stream().map(r -> r.line() + "\n").collect(java.util.stream.Collectors.joining());
            writeSynced(journal, lines.getBytes(java.nio.charset.StandardCharsets.UTF_8), NONE,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            sync(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the purge journal under " + directory, e);
        }
    }

    /**
     * The purge committed (no row names these ranges any more): files of one message are deleted, ranges of
     * segments zeroed and synced, and a segment that no row names and no session writes to is deleted. The journal
     * goes when all that is done; else the next purge or start does it again.
     */
    void purged(List<BodyRange> ranges, Jdbc jdbc) {
        if (directory == null) {
            return;
        }
        boolean done = true;
        java.util.Map<String, List<long[]>> touched = new java.util.TreeMap<>(); // segment: its ranges
        for (BodyRange r : ranges) {
            if (r.inSegment()) {
                touched.computeIfAbsent(r.name(), n -> new java.util.ArrayList<>()).add(new long[] {r.offset(),
                        r.length()});
            } else {
                deleteQuietly(directory.resolve(r.name()));
                deleteQuietly(directory.resolve(r.name() + PENDING));
            }
        }
        for (var segment : touched.entrySet()) {
            done &= segments.zero(segment.getKey(), segment.getValue(), true);
        }
        // first: a segment that is not open gets no row that is not committed yet
        List<String> closed = segments.notOpen(touched.keySet());
        java.util.Set<String> named = BodyRecovery.named(jdbc, closed);
        closed.stream().filter(n -> !named.contains(n)).forEach(n -> deleteQuietly(directory.resolve(n)));
        if (done) {
            deleteQuietly(directory.resolve(JOURNAL));
        }
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

    static void sync(Path dir) throws IOException {
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
