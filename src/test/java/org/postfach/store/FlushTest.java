package org.postfach.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2 commits to memory and {@link Jdbc} writes the file before a writing transaction returns (Database): what a
 * grouped or a plain transaction reported as committed is in the file even when the database then dies without
 * writing anything more. The URL sets WRITE_DELAY so high that H2's own background writer never runs here.
 */
class FlushTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=3600000";
    }

    @Test
    void whatGroupedAndPlainTransactionsReturnedIsOnDiskAfterACrash() throws Exception {
        Database db = Database.open(url(), 24);
        Jdbc jdbc = db.jdbc();
        jdbc.update("CREATE TABLE t (id INT PRIMARY KEY)");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int id = i;
                done.add(pool.submit(() -> jdbc.grouped(0, () -> jdbc.update("INSERT INTO t VALUES (?)", id))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        jdbc.inTransaction(() -> jdbc.update("INSERT INTO t VALUES (?)", 1000));
        crash(db);

        Database again = Database.open(url(), 4);
        try {
            assertThat(again.jdbc().one("SELECT COUNT(*) FROM t", rs -> rs.getLong(1), new Object[0]))
                    .contains(201L);
        } finally {
            again.close();
        }
    }

    @Test
    void aWriteThatCannotBeFlushedIsNotReportedAsCommitted() {
        Database db = Database.open("jdbc:h2:mem:" + java.util.UUID.randomUUID(), 4);
        db.jdbc().update("CREATE TABLE t (id INT PRIMARY KEY)");
        Jdbc failing = new Jdbc(db.dataSource(), () -> {
            throw new SQLException("No space left on device");
        }, Bodies.IN_TABLE);
        try {
            assertThatThrownBy(() -> failing.grouped(0, () -> failing.update("INSERT INTO t VALUES (1)")))
                    .isInstanceOf(StoreException.class).hasMessageContaining("No space left")
                    .matches(e -> ((StoreException) e).isInDoubt(), "in doubt: it committed, but is not on disk");
            assertThatThrownBy(() -> failing.inTransaction(() -> failing.update("INSERT INTO t VALUES (2)")))
                    .isInstanceOf(StoreException.class).hasMessageContaining("No space left");
            // a transaction that only reads needs no flush
            assertThat(failing.one("SELECT COUNT(*) FROM t", rs -> rs.getLong(1), new Object[0])).isPresent();
        } finally {
            db.close();
        }
    }

    /** The end of a process that dies: the files are closed and nothing more is written. */
    private static void crash(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("SHUTDOWN IMMEDIATELY");
        } catch (SQLException closedUnderUs) {
            // the connection goes down with the database
        }
        db.close();
    }
}
