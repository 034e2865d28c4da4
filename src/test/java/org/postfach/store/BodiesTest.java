package org.postfach.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postfach.archive.ChainVerifier;
import org.postfach.intake.NewMessage;
import org.postfach.policy.Quota;
import org.postfach.policy.QuotaExceededException;
import org.postfach.queue.QueueEntry;

/**
 * On an H2 file database the raw forms of large messages live in synced segment files beside it ({@link Bodies}):
 * what the archive, the queue and the chain read comes from there; a refused save leaves no readable trace; what a
 * crash leaves half done (a range without its row, a rename of an older one-message file not made, a purge between
 * its commit and its removals) is finished at the next start, and a purge leaves no body of a purged message behind
 * (SPEC §8).
 */
class BodiesTest {
    static final Instant AT = Instant.parse("2026-11-24T10:00:00Z");
    @TempDir
    Path dir;
    Database db;
    JdbcMessageStore store;
    JdbcArchiveStore archive;

    String url() {
        return "jdbc:h2:file:" + dir.resolve("postfach");
    }

    Path files() {
        return dir.resolve("postfach-bodies");
    }

    @BeforeEach
    void open() {
        db = Database.open(url(), 8);
        db.migrate();
        store = new JdbcMessageStore(db.jdbc());
        archive = new JdbcArchiveStore(db.jdbc());
    }

    @AfterEach
    void close() {
        db.close();
    }

    void reopen() {
        db.close();
        open();
    }

    /** Makes a test message large enough for a file ({@link Bodies#IN_FILE_FROM}): both forms end with it. */
    static final String FILL = "filler line\r\n".repeat(Bodies.IN_FILE_FROM / 2 / 13 + 1);

    static NewMessage message(String token, String original, String delivered) {
        return small(token, original + FILL, delivered + FILL);
    }

    static NewMessage small(String token, String original, String delivered) {
        return new NewMessage(AT, "seller-to-buyer", NewMessage.QUEUED, "s1", "b1", "alias@marketplace.example", null,
                "seller@shop.example", "alias@marketplace.example", "buyer@buyer.example", token, null,
                "<" + token + "@marketplace.example>", null, "seller:s1", false,
                original.getBytes(StandardCharsets.UTF_8), delivered.getBytes(StandardCharsets.UTF_8),
                "bounce+" + token + "@marketplace.example", null, List.of());
    }

    List<Path> stored() throws Exception {
        if (!Files.isDirectory(files())) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(files())) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    String text(long id, String form) {
        return new String(archive.raw(id, form).orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void bothFormsGoIntoOneFileAndAreReadBackFromIt() throws Exception {
        long id = store.save(List.of(message("m1", "Subject: original\r\n\r\nBody 1\r\n",
                "Subject: delivered\r\n\r\nBody 1 [removed]\r\n")), List.of()).get(0);
        assertThat(db.jdbc().one("SELECT COUNT(*) FROM message_bodies WHERE content IS NULL AND file_name IS NOT NULL",
                rs -> rs.getInt(1))).contains(2);
        assertThat(stored()).hasSize(1).allSatisfy(f -> {
            assertThat(f.toString()).endsWith(".seg").contains("2026-11-24");
            assertThat(Files.readString(f)).isEqualTo("Subject: original\r\n\r\nBody 1\r\n" + FILL
                    + "Subject: delivered\r\n\r\nBody 1 [removed]\r\n" + FILL);
        });
        readBack(id, "Subject: original\r\n\r\nBody 1\r\n" + FILL,
                "Subject: delivered\r\n\r\nBody 1 [removed]\r\n" + FILL);
    }

    /** The archive reads both forms back, the queue the delivered one, and the chain verifies. */
    void readBack(long id, String original, String delivered) {
        assertThat(text(id, "original")).isEqualTo(original);
        assertThat(text(id, "delivered")).isEqualTo(delivered);
        QueueEntry entry = new QueueEntry(0, id, "", "buyer@buyer.example", 1, AT, 0);
        assertThat(new String(new JdbcOutboundQueue(db.jdbc()).content(entry), StandardCharsets.UTF_8))
                .isEqualTo(delivered);
        assertThat(new ChainVerifier(archive).verify().ok()).isTrue();
    }

    @Test
    void aBodyTheRewriteLeftAloneIsWrittenOnce() throws Exception {
        long id = store.save(List.of(message("m1", "Subject: original\r\nFrom: seller@shop.example\r\n\r\nBody\r\n",
                "Subject: delivered\r\n\r\nBody\r\n")), List.of()).get(0);
        assertThat(stored()).hasSize(1);
        assertThat(Files.readString(stored().get(0)))
                .isEqualTo("Subject: original\r\nFrom: seller@shop.example\r\n\r\nBody\r\n" + FILL);
        assertThat(db.jdbc().one("SELECT content FROM message_bodies WHERE form = 'DELIVERED'",
                rs -> new String(rs.getBytes(1), StandardCharsets.UTF_8))).contains("Subject: delivered\r\n\r\n");
        readBack(id, "Subject: original\r\nFrom: seller@shop.example\r\n\r\nBody\r\n" + FILL,
                "Subject: delivered\r\n\r\nBody\r\n" + FILL);
    }

    @Test
    void aSmallMessageStaysInTheTable() throws Exception {
        long id = store.save(List.of(small("s1", "Subject: o\r\n\r\nsmall\r\n", "Subject: d\r\n\r\nsmall\r\n")),
                List.of()).get(0);
        assertThat(stored()).isEmpty();
        assertThat(db.jdbc().one("SELECT COUNT(*) FROM message_bodies WHERE content IS NOT NULL AND file_name IS NULL",
                rs -> rs.getInt(1))).contains(2);
        assertThat(text(id, "delivered")).isEqualTo("Subject: d\r\n\r\nsmall\r\n");
    }

    @Test
    void aChangedByteInAFileBreaksTheChainAtThatEntry() throws Exception {
        store.save(List.of(message("m1", "a\r\n\r\none\r\n", "b\r\n\r\none\r\n")), List.of());
        store.save(List.of(message("m2", "a\r\n\r\ntwo\r\n", "b\r\n\r\ntwo\r\n")), List.of());
        Path second = stored().stream().filter(f -> {
            try {
                return Files.readString(f).contains("two");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).findFirst().orElseThrow();
        Files.writeString(second, Files.readString(second).replace("two", "twO"));
        ChainVerifier.Result r = new ChainVerifier(archive).verify();
        assertThat(r.brokenAt()).contains(2L);
        assertThat(r.problem()).isEqualTo("entry 2: its content does not match its hash");
    }

    @Test
    void aRefusedSaveLeavesNoReadableTrace() throws Exception {
        LocalDate day = LocalDate.parse("2026-11-24");
        long id = store.save(List.of(message("m1", "kept\r\n", "y\r\n")), List.of(new Quota("s1", day, 1, 1))).get(0);
        assertThatThrownBy(() -> store.save(List.of(message("m2", "over the limit\r\n", "y\r\n")),
                List.of(new Quota("s1", day, 1, 1)))).isInstanceOf(QuotaExceededException.class);
        // a unique violation inside the shared commit undoes only that session's rows, and its bytes go too
        assertThatThrownBy(() -> store.save(List.of(message("m1", "a duplicate\r\n", "y\r\n")), List.of()))
                .isInstanceOf(StoreException.class);
        assertThat(stored()).hasSize(1);
        String segment = Files.readString(stored().get(0), StandardCharsets.ISO_8859_1);
        assertThat(segment).contains("kept").doesNotContain("over the limit").doesNotContain("a duplicate");
        assertThat(text(id, "original")).isEqualTo("kept\r\n" + FILL);
    }

    @Test
    void concurrentSessionsShareASegmentAndEachReadsBackItsOwnForms() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Long>> saves = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String n = "m" + i;
                saves.add(pool.submit(() -> store.save(List.of(message(n, "o " + n + "\r\n\r\nbody " + n + "\r\n",
                        "d " + n + "\r\n\r\nbody " + n + " [removed]\r\n")), List.of()).get(0)));
            }
            for (int i = 0; i < 40; i++) {
                long id = saves.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(text(id, "original")).isEqualTo("o m" + i + "\r\n\r\nbody m" + i + "\r\n" + FILL);
                assertThat(text(id, "delivered")).isEqualTo("d m" + i + "\r\n\r\nbody m" + i + " [removed]\r\n" + FILL);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(stored()).as("40 messages of 2 x 64 KB fit one segment").hasSize(1);
        assertThat(new ChainVerifier(archive).verify().ok()).isTrue();
    }

    @Test
    void aFullSegmentOrANewDayBeginsTheNextOne() throws Exception {
        byte[] big = ("Subject: big\r\n\r\n" + "x".repeat(1024 * 1024 - 20) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        Bodies bodies = db.jdbc().bodies();
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        List<Bodies.Kept> kept = new java.util.ArrayList<>();
        for (long i = 0; i <= Segments.SEGMENT_BYTES / big.length + 1; i++) { // one more than fits
            Bodies.Kept k = bodies.keep(big, null, AT);
            kept.add(k);
            names.add(k.name());
        }
        assertThat(names).hasSize(2);
        Bodies.Kept tomorrow = bodies.keep(big, null, AT.plusSeconds(86_400));
        kept.add(tomorrow);
        assertThat(tomorrow.name()).startsWith("2026-11-25/").endsWith(".seg");
        Bodies.Kept late = bodies.keep(big, null, AT); // a session that took its time just before midnight
        kept.add(late);
        assertThat(late.name()).as("no new segment for a day already left").isEqualTo(tomorrow.name());
        assertThat(bodies.segments.openSegments())
                .as("the full one stays open while its messages wait for their commit")
                .hasSize(3);
        bodies.discard(kept);
        assertThat(bodies.segments.openSegments()).as("only the current one").containsExactly(tomorrow.name());
    }

    @Test
    void aRangeWrittenForASessionThatCrashedStaysUnnamedAndTheNextStartBeginsANewSegment() throws Exception {
        long id = store.save(List.of(message("m1", "o\r\n", "d\r\n")), List.of()).get(0);
        Path first = stored().get(0);
        // written for a session that crashed before its commit (never answered 250): no row names it
        db.jdbc().bodies().keep(("orphan\r\n" + FILL + FILL).getBytes(), null, AT);
        reopen();
        long next = store.save(List.of(message("m2", "o2\r\n", "d2\r\n")), List.of()).get(0);
        assertThat(stored()).hasSize(2).contains(first);
        assertThat(text(id, "original")).isEqualTo("o\r\n" + FILL);
        assertThat(text(next, "original")).isEqualTo("o2\r\n" + FILL);
        assertThat(new ChainVerifier(archive).verify().ok()).isTrue();
    }

    /** Files of one message each, as written before segments: a row moved to such a file, the rename lost. */
    Path legacyFile(long id) throws Exception {
        byte[] original = archive.raw(id, "original").orElseThrow();
        Path file = files().resolve("2026-11-24/0123456789abcdef.eml");
        Files.write(file.resolveSibling(file.getFileName() + ".new"), original);
        db.jdbc().update("DELETE FROM message_bodies WHERE message_id = ? AND form = 'DELIVERED'", id);
        db.jdbc().update("UPDATE message_bodies SET file_name = ?, file_offset = 0 WHERE message_id = ?",
                "2026-11-24/0123456789abcdef.eml", id);
        return file;
    }

    @Test
    void olderFilesOfOneMessageAreStillReadRecoveredAndPurged() throws Exception {
        long id = store.save(List.of(message("m1", "o\r\n", "d\r\n")), List.of()).get(0);
        Path file = legacyFile(id);
        Path orphan = files().resolve("2026-11-24/fedcba9876543210.eml.new"); // no row names it
        Files.writeString(orphan, "never answered 250");
        assertThat(text(id, "original")).as("read under its pending name").isEqualTo("o\r\n" + FILL);
        reopen();
        assertThat(file).exists();
        assertThat(orphan).doesNotExist();
        assertThat(text(id, "original")).isEqualTo("o\r\n" + FILL);
        assertThat(archive.purge(AT.plusSeconds(1), AT.plusSeconds(2))).isEqualTo(1);
        assertThat(file).doesNotExist();
    }

    String segments() throws Exception {
        StringBuilder all = new StringBuilder();
        for (Path f : stored()) {
            all.append(Files.readString(f, StandardCharsets.ISO_8859_1));
        }
        return all.toString();
    }

    @Test
    void aPurgeZeroesThePurgedMessagesInTheirSegmentAndKeepsHeldOnes() throws Exception {
        long gone = store.save(List.of(message("m1", "first original\r\n\r\nx\r\n", "first delivered\r\n\r\ny\r\n")),
                List.of()).get(0);
        long held = store.save(List.of(message("m2", "o2\r\n", "d2\r\n")), List.of()).get(0);
        archive.setLegalHold(held, true);
        assertThat(archive.purge(AT.plusSeconds(1), AT.plusSeconds(2))).isEqualTo(1);
        assertThat(archive.raw(gone, "original")).isEmpty();
        assertThat(text(held, "original")).isEqualTo("o2\r\n" + FILL);
        assertThat(stored()).hasSize(1);
        assertThat(segments()).doesNotContain("first").contains("o2\r\n" + FILL + "d2\r\n" + FILL);
        assertThat(Files.exists(files().resolve("purging"))).isFalse();
        assertThat(new ChainVerifier(archive).verify().ok()).isTrue();
    }

    @Test
    void aSegmentNoRowNamesIsDeletedOnceNoSessionWritesToIt() throws Exception {
        store.save(List.of(message("m1", "o1\r\n", "d1\r\n")), List.of());
        assertThat(archive.purge(AT.plusSeconds(1), AT.plusSeconds(2))).isEqualTo(1);
        assertThat(stored()).as("still the current segment: zeroed, not deleted").hasSize(1);
        assertThat(segments()).doesNotContain("o1").doesNotContain("filler");
        store.save(List.of(message("m2", "o2\r\n", "d2\r\n")), List.of());
        reopen(); // a new start begins a new segment
        assertThat(archive.purge(AT.plusSeconds(1), AT.plusSeconds(2))).isEqualTo(1);
        assertThat(stored()).isEmpty();
    }

    @Test
    void aPurgeInterruptedAfterItsCommitIsFinishedAtTheNextStart() throws Exception {
        long purged = store.save(List.of(message("m1", "o1\r\n", "d1\r\n")), List.of()).get(0);
        long kept = store.save(List.of(message("m2", "o2\r\n", "d2\r\n")), List.of()).get(0);
        List<BodyRange> ranges = db.jdbc().list("SELECT file_name, file_offset, file_length FROM message_bodies"
                + " WHERE file_name IS NOT NULL", BodyRange::of);
        // the journal of a purge that committed (m1's rows are gone) and died before removing anything; it also
        // lists m2's ranges, as a purge would whose commit failed: those must stay
        db.jdbc().bodies().purging(ranges);
        db.jdbc().update("DELETE FROM message_bodies WHERE message_id = ?", purged);
        reopen();
        assertThat(stored()).hasSize(1);
        assertThat(segments()).doesNotContain("o1").doesNotContain("d1");
        assertThat(text(kept, "delivered")).isEqualTo("d2\r\n" + FILL);
        assertThat(Files.exists(files().resolve("purging"))).isFalse();
    }

    @Test
    void onlyAnH2FileDatabaseKeepsFiles() {
        assertThat(Bodies.forUrl("jdbc:h2:mem:x").inFiles()).isFalse();
        assertThat(Bodies.forUrl("jdbc:postgresql://db/postfach").inFiles()).isFalse();
        assertThat(Bodies.forUrl("jdbc:h2:file:/var/lib/postfach/postfach;WRITE_DELAY=0"))
                .hasToString("/var/lib/postfach/postfach-bodies");
        assertThat(db.jdbc().bodies().inFiles()).isTrue();
    }
}
