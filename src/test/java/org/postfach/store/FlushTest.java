package org.postfach.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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

    /**
     * Callers whose commits a write covers return when it ends, even while the next write (for later callers) runs:
     * a covered caller must not queue behind it. Each write here blocks until the test opens its gate.
     */
    @Test
    void callersCoveredByAWriteReturnWhileTheNextWriteRuns() throws Exception {
        List<CountDownLatch> gates = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            gates.add(new CountDownLatch(1));
        }
        Semaphore begun = new Semaphore(0);
        AtomicInteger writes = new AtomicInteger();
        GroupSync<SQLException> flush = new GroupSync<>(() -> {
            int write = writes.getAndIncrement();
            begun.release();
            try {
                gates.get(write).await();
            } catch (InterruptedException e) {
                throw new SQLException(e);
            }
        });
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            call(pool, flush);
            begun.acquire(); // write 0 runs, for the first caller only
            List<Future<?>> covered = List.of(call(pool, flush), call(pool, flush));
            waitForCallers(flush, 3);
            gates.get(0).countDown();
            begun.acquire(); // write 1 runs, for the two callers that came during write 0
            List<Future<?>> later = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                later.add(call(pool, flush));
            }
            waitForCallers(flush, 11);
            gates.get(1).countDown();
            begun.acquire(); // write 2 runs, for the eight later callers, and stays open
            for (Future<?> f : covered) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(later).noneMatch(Future::isDone);
            gates.get(2).countDown();
            for (Future<?> f : later) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(writes).hasValue(3);
        } finally {
            gates.forEach(CountDownLatch::countDown);
            pool.shutdownNow();
        }
    }

    /** A failed write covers no one: its caller hears of the failure, the caller waiting for it writes again. */
    @Test
    void aFailedWriteIsRetriedByTheCallersItWouldHaveCovered() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger writes = new AtomicInteger();
        GroupSync<SQLException> flush = new GroupSync<>(() -> {
            if (writes.getAndIncrement() == 0) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    throw new SQLException(e);
                }
                throw new SQLException("No space left on device");
            }
        });
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            Future<?> first = call(pool, flush);
            waitForCallers(flush, 1);
            while (writes.get() == 0) {
                Thread.onSpinWait();
            }
            Future<?> second = call(pool, flush);
            waitForCallers(flush, 2);
            gate.countDown();
            assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS))
                    .hasRootCauseMessage("No space left on device");
            second.get(10, TimeUnit.SECONDS);
            assertThat(writes).hasValue(2);
        } finally {
            gate.countDown();
            pool.shutdownNow();
        }
    }

    /**
     * Many callers at once, syncs that take their time and sometimes fail: a caller that returns normally was
     * covered by a sync that began after its write, none waits for good, and syncs are shared.
     */
    @Test
    void underLoadEveryReturnIsCoveredAndNoCallerIsLeftWaiting() throws Exception {
        AtomicLong written = new AtomicLong();
        AtomicLong durable = new AtomicLong();
        AtomicInteger syncs = new AtomicInteger();
        GroupSync<SQLException> flush = new GroupSync<>(() -> {
            long upTo = written.get(); // what this sync covers: everything written before it began
            int n = syncs.incrementAndGet();
            java.util.concurrent.locks.LockSupport.parkNanos(50_000L * (n % 7));
            if (n % 5 == 0) {
                throw new SQLException("I/O error");
            }
            durable.accumulateAndGet(upTo, Math::max);
        });
        ExecutorService pool = Executors.newFixedThreadPool(16);
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger uncovered = new AtomicInteger();
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                all.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        long mine = written.incrementAndGet();
                        try {
                            flush.run();
                            if (durable.get() < mine) {
                                uncovered.incrementAndGet();
                            }
                        } catch (SQLException e) {
                            failures.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(uncovered).hasValue(0);
        assertThat(failures.get()).as("only a sync's own caller hears of its failure").isEqualTo(syncs.get() / 5);
        assertThat(syncs.get()).as("callers share syncs").isLessThan(16 * 300);
    }

    private static Future<?> call(ExecutorService pool, GroupSync<SQLException> flush) {
        return pool.submit(() -> {
            flush.run();
            return null;
        });
    }

    private static void waitForCallers(GroupSync<SQLException> flush, long n) throws InterruptedException {
        while (flush.callers() < n) {
            Thread.sleep(1);
        }
        Thread.sleep(50); // from the ticket to the wait for the lock: a few instructions
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
