package org.postfach.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Finishes what a crash left half done in the message files of {@link Bodies}: a save, a purge. */
final class BodyRecovery {
    private BodyRecovery() {
    }

    /**
     * Before each purge: finishes one that a crash (or a failed commit) interrupted. What its journal lists and no
     * row names any more is removed (that purge committed); what a row still names stays (it did not).
     */
    static void finishPurge(Bodies bodies, Jdbc jdbc) {
        synchronized (bodies) {
            Path journal = bodies.directory == null ? null : bodies.directory.resolve(Bodies.JOURNAL);
            if (journal == null || !Files.exists(journal)) {
                return;
            }
            try {
                List<BodyRange> listed = Files.readAllLines(journal).stream().filter(s -> !s.isBlank())
                        .map(BodyRange::parse).toList();
                Set<String> files = named(jdbc, listed.stream().filter(r -> !r.inSegment()).map(BodyRange::name)
                        .distinct().toList());
                Set<String> ranges = namedRanges(jdbc, listed.stream().filter(BodyRange::inSegment)
                        .map(BodyRange::name).distinct().toList());
                bodies.purged(listed.stream().filter(r -> r.inSegment() ? !ranges.contains(r.name() + " " + r.offset())
                        : !files.contains(r.name())).toList(), jdbc);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the purge journal under " + bodies.directory, e);
            }
        }
    }

    /**
     * At start, before any session: {@link #finishPurge}, and the pending files in the two newest day directories
     * are renamed when a row names them (their transaction committed) or deleted when none does (it never did, and
     * no 250 was given for them). Not while sessions write: their files are pending until their commit.
     */
    static void recover(Bodies bodies, Jdbc jdbc) {
        synchronized (bodies) {
            if (bodies.directory == null || !Files.isDirectory(bodies.directory)) {
                return;
            }
            finishPurge(bodies, jdbc);
            try {
                List<Path> days;
                try (Stream<Path> s = Files.list(bodies.directory)) {
                    days = s.filter(Files::isDirectory).sorted().toList();
                }
                List<String> pending = new ArrayList<>();
                for (Path day : days.subList(Math.max(0, days.size() - 2), days.size())) {
                    try (Stream<Path> s = Files.list(day)) {
                        s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(Bodies.PENDING))
                                .forEach(n -> pending.add(day.getFileName() + "/"
                                        + n.substring(0, n.length() - Bodies.PENDING.length())));
                    }
                }
                Set<String> named = named(jdbc, pending);
                List<Bodies.Kept> keep = new ArrayList<>();
                List<Bodies.Kept> drop = new ArrayList<>();
                for (String n : pending) {
                    (named.contains(n) ? keep : drop).add(new Bodies.Kept(n));
                }
                bodies.committed(keep);
                bodies.discard(drop);
            } catch (IOException e) {
                throw new UncheckedIOException("recovering the message files under " + bodies.directory, e);
            }
        }
    }

    /** Which of these file names a row of message_bodies still names (one scan per 500 names). */
    static Set<String> named(Jdbc jdbc, List<String> names) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < names.size(); i += 500) {
            List<String> part = names.subList(i, Math.min(names.size(), i + 500));
            String marks = Jdbc.marks(part.size());
            out.addAll(jdbc.list("SELECT DISTINCT file_name FROM message_bodies WHERE file_name IN (" + marks + ")",
                    rs -> rs.getString(1), part.toArray()));
        }
        return out;
    }

    /** "name offset" of every range of these segments that a row still names. */
    private static Set<String> namedRanges(Jdbc jdbc, List<String> segments) {
        Set<String> out = new HashSet<>();
        for (String name : segments) {
            out.addAll(jdbc.list("SELECT file_offset FROM message_bodies WHERE file_name = ?",
                    rs -> name + " " + rs.getLong(1), name));
        }
        return out;
    }
}
