package org.postfach.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2's own compaction is off, and the relay compacts the file when it is quiet ({@link
 * Database#compactIfIdle}): never while it is busy, and when it does, the live rows move out of the sparse chunks,
 * whose space is then free for new ones, and every row is still there after a restart.
 */
class CompactionTest {
    @TempDir
    Path dir;

    @Test
    void h2sOwnCompactionIsTurnedOffUnlessTheUrlSaysOtherwise() {
        assertThat(Database.durableH2("jdbc:h2:file:/data/postfach")).contains(";AUTO_COMPACT_FILL_RATE=0");
        assertThat(Database.durableH2("jdbc:h2:file:/data/postfach;AUTO_COMPACT_FILL_RATE=90"))
                .contains(";AUTO_COMPACT_FILL_RATE=90").doesNotContain("=0");
    }

    @Test
    void aQuietStoreIsCompactedAndOneBeingWrittenIsNot() {
        String url = "jdbc:h2:file:" + dir.resolve("t");
        try (Database db = Database.open(url, 4)) {
            Jdbc jdbc = db.jdbc();
            jdbc.inTransaction(() -> jdbc.update("CREATE TABLE t(id INT PRIMARY KEY, v VARCHAR(2000))"));
            String v = "x".repeat(1000);
            for (int i = 0; i < 2000; i++) { // a transaction each, written and synced each: a chunk each
                int n = i;
                jdbc.inTransaction(() -> jdbc.update("INSERT INTO t VALUES (?, ?)", n, v));
            }
            for (int i = 0; i < 2000; i++) { // nine in ten go: the chunks are mostly dead
                int n = i;
                if (i % 10 != 0) {
                    jdbc.inTransaction(() -> jdbc.update("DELETE FROM t WHERE id = ?", n));
                }
                if (i % 500 == 0) {
                    assertThat(db.compactIfIdle(8)).as("busy since the last look").isZero();
                }
            }
            // H2 rewrites a chunk only once it is older than its retention time (45 s); not in a test
            db.mvStore().setRetentionTime(0);
            var file = db.mvStore().getFileStore();
            int before = file.getFillRate();
            assertThat(db.compactIfIdle(8)).as("the first look after the writes: busy since the one before").isZero();
            assertThat(db.compactIfIdle(8)).as("quiet since the last look").isPositive();
            assertThat(file.getFillRate()).as("space of the file in use by chunks, percent")
                    .isLessThan(before / 2);
            assertThat(count(jdbc)).isEqualTo(200);
        }
        try (Database db = Database.open(url, 4)) {
            assertThat(count(db.jdbc())).isEqualTo(200);
        }
    }

    static long count(Jdbc jdbc) {
        return jdbc.one("SELECT COUNT(*) FROM t", rs -> rs.getLong(1)).orElseThrow();
    }
}
