package org.postfach.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The segment files of {@link Bodies} ({@code <UTC day>/<random>.seg} under its directory): concurrent sessions
 * append their messages to the current one, each at a range it reserves under a short lock and writes with
 * positional writes, and one {@code fdatasync} ({@link GroupSync}) serves every session whose write ended before it
 * began. A segment takes messages until it holds {@link #SEGMENT_BYTES}; a new day and a new start begin a new
 * one, so a segment is never appended to after it was left. Its channel stays open while it is current or has
 * messages whose transaction has not ended ({@link #ended}).
 */
final class Segments {
    static final String SUFFIX = ".seg";
    /** A segment takes messages until it holds this many bytes; the next message begins the next segment. */
    static final long SEGMENT_BYTES = 64L * 1024 * 1024;

    private final Path directory;
    private final Object lock = new Object();
    private String lastDay = ""; // guarded by lock
    private Segment current; // where new messages go; guarded by lock
    /** The current segment and those with messages whose transaction has not ended; guarded by lock. */
    private final Map<String, Segment> open = new HashMap<>();

    Segments(Path directory) {
        this.directory = directory;
    }

    /** Where a message was written and synced: its segment and the offset of its first byte. */
    record Written(String name, long at) {
    }

    private static final class Segment {
        final String day;
        final String name;
        final FileChannel channel;
        final GroupSync<IOException> sync;
        long end; // guarded by Segments.lock
        int pending; // messages written here whose transaction has not ended; guarded by Segments.lock
        /** A write or sync failed: after a failed fsync the kernel may have dropped the data, so no sync is trusted. */
        volatile boolean broken;

        Segment(String day, String name, FileChannel channel) {
            this.day = day;
            this.name = name;
            this.channel = channel;
            this.sync = new GroupSync<>(() -> {
                if (broken) {
                    throw new IOException("an earlier write or sync of " + name + " failed");
                }
                try {
                    channel.force(false);
                } catch (IOException e) {
                    broken = true;
                    throw e;
                }
            });
        }
    }

    /**
     * Writes {@code first} then {@code second} into the current segment of {@code day} and syncs them. The caller
     * ends the range's life with {@link #ended} once its transaction ended. A failure marks the segment broken (the
     * next message begins a new one) and zeroes what was written.
     */
    Written append(String day, byte[] first, byte[] second) throws IOException {
        // A pending interrupt (a session being stopped) would close the channel under every session writing to the
        // segment (FileChannel is interruptible) and break it for them all; this session's outcome must be known
        // anyway, so the flag waits until the message is written and synced. (One that comes during the write still
        // closes the channel, and the segment is then given up like after any failed write.)
        boolean interrupted = Thread.interrupted();
        try {
            return appendUninterrupted(day, first, second);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Written appendUninterrupted(String day, byte[] first, byte[] second) throws IOException {
        Segment s;
        long at;
        synchronized (lock) {
            s = segmentFor(day);
            at = s.end;
            s.end += first.length + second.length;
            s.pending++;
        }
        try {
            write(s.channel, first, at);
            write(s.channel, second, at + first.length);
            s.sync.run();
            return new Written(s.name, at);
        } catch (IOException | RuntimeException e) {
            s.broken = true;
            zero(s.name, List.of(new long[] {at, first.length + second.length}), false);
            ended(s.name);
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    /**
     * The segment for a message received on {@code day}: the current one, or a new one. Holds the lock. A message
     * of an earlier day than the current segment's (sessions that took their time just before midnight) goes into
     * the current one: the day directory only sorts the files, and alternating days must not begin a segment each.
     */
    private Segment segmentFor(String day) throws IOException {
        if (current != null && !current.broken && current.day.compareTo(day) >= 0 && current.end < SEGMENT_BYTES) {
            return current;
        }
        Path dayDirectory = directory.resolve(day);
        if (!day.equals(lastDay)) {
            Files.createDirectories(dayDirectory);
            Bodies.sync(directory); // the day's directory entry is on disk before a file in it is reported stored
            lastDay = day;
        }
        while (true) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String name = day + "/" + Long.toHexString(random.nextLong() | Long.MIN_VALUE)
                    + Long.toHexString(random.nextLong() | Long.MIN_VALUE) + SUFFIX;
            FileChannel channel;
            try {
                channel = FileChannel.open(directory.resolve(name), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                continue; // 128 random bits met an existing name: draw again
            }
            Bodies.sync(dayDirectory); // the segment's name, too, survives a power loss
            Segment old = current;
            current = new Segment(day, name, channel);
            open.put(name, current);
            if (old != null) {
                closeIfDone(old);
            }
            return current;
        }
    }

    /** Closes a segment that is no longer current once none of its messages awaits its transaction. */
    private void closeIfDone(Segment s) {
        if (s != current && s.pending == 0) {
            open.remove(s.name);
            try {
                s.channel.close();
            } catch (IOException ignored) {
                // it was synced for every message that needed it; nothing more is written to it
            }
        }
    }

    /** A message's transaction ended (either way): its segment may close. */
    void ended(String name) {
        synchronized (lock) {
            Segment s = open.get(name);
            if (s != null) {
                s.pending--;
                closeIfDone(s);
            }
        }
    }

    /** The names of the segments whose channels are open (a test looks). */
    Set<String> openSegments() {
        synchronized (lock) {
            return Set.copyOf(open.keySet());
        }
    }

    /** Those of {@code names} that are not open: no message that is not committed yet is in them, nor will be. */
    List<String> notOpen(Collection<String> names) {
        synchronized (lock) {
            return names.stream().filter(n -> !open.containsKey(n)).toList();
        }
    }

    /**
     * Overwrites ranges ({offset, length} each) of one segment with zeros, through one channel, and syncs them when
     * {@code sync} (a purge); false if that failed. A segment that is gone has nothing left to zero.
     */
    boolean zero(String name, List<long[]> ranges, boolean sync) {
        try (FileChannel ch = FileChannel.open(directory.resolve(name), StandardOpenOption.WRITE)) {
            byte[] zeros = new byte[64 * 1024];
            for (long[] r : ranges) {
                for (long done = 0; done < r[1]; ) {
                    int n = (int) Math.min(zeros.length, r[1] - done);
                    write(ch, n == zeros.length ? zeros : new byte[n], r[0] + done);
                    done += n;
                }
            }
            if (sync) {
                ch.force(false);
            }
            return true;
        } catch (NoSuchFileException gone) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void write(FileChannel channel, byte[] bytes, long at) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b, at + b.position());
        }
    }
}
