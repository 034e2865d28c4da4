package org.postfach.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection pool and the migrations. H2 commits to memory (WRITE_DELAY=500: H2 itself would write the file
 * only every half second), and {@link Jdbc} has the file written and synced to the disk after each transaction
 * that wrote, before the caller hears of the commit ({@link SyncedCheckpoint}): a message answered 250 survives
 * kill -9 of the JVM and a power loss (SPEC §6). One write and sync serves every transaction committed while the
 * one before it ran; queue claims, which need no durability, are not written on their own at all.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final boolean h2;
    private final Jdbc jdbc;

    private Database(HikariDataSource pool, boolean h2, Bodies bodies) {
        this.pool = pool;
        this.h2 = h2;
        this.jdbc = new Jdbc(pool, h2 ? new SyncedCheckpoint(() -> checkpointSync(pool)) : Jdbc.Flush.NONE, bodies);
    }

    public static Database open(String url, int maxPoolSize) {
        boolean h2 = url.startsWith("jdbc:h2:");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(h2 ? durableH2(url) : url);
        if (h2) {
            config.setUsername("sa");
            config.setPassword("");
        }
        config.setMaximumPoolSize(maxPoolSize);
        config.setPoolName("postfach-db");
        config.setAutoCommit(true);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(10_000);
        return new Database(new HikariDataSource(config), h2, Bodies.forUrl(url));
    }

    static String durableH2(String url) {
        String upper = url.toUpperCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(url);
        if (!upper.contains(";WRITE_DELAY=")) {
            b.append(";WRITE_DELAY=500"); // for what Jdbc does not flush (claims); the rest is written at once
        }
        if (!upper.contains(";DB_CLOSE_ON_EXIT=")) {
            b.append(";DB_CLOSE_ON_EXIT=FALSE"); // we close it ourselves, after the workers stopped
        }
        if (!upper.contains(";QUERY_CACHE_SIZE=")) {
            b.append(";QUERY_CACHE_SIZE=64"); // each session runs about 30 distinct statements; the default keeps 8
        }
        if (!upper.contains(";LOCK_TIMEOUT=")) {
            b.append(";LOCK_TIMEOUT=10000");
        }
        return b.toString();
    }

    /**
     * Writes everything committed so far to the H2 file and syncs it ({@code CHECKPOINT SYNC}), once for all callers
     * that come while one runs: a caller takes a ticket after its commit, and a sync that began after the ticket
     * was taken covers it. A caller whose ticket is covered returns as soon as that sync ends; it does not queue for
     * the right to write (with one monitor for both, covered callers waited behind later writes: 18 ms per message
     * at 100 KB while a write took 1-3 ms). A failed write covers no one: the caller that ran it gets the failure,
     * the others try again.
     */
    static final class SyncedCheckpoint implements Jdbc.Flush {
        private final Jdbc.Flush write;
        private final java.util.concurrent.atomic.AtomicLong tickets = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        private final java.util.concurrent.locks.Condition written = lock.newCondition();
        private long synced; // the last ticket taken before the last successful sync began; guarded by lock
        private boolean writing; // a sync runs; guarded by lock

        /** {@code write} writes and syncs everything committed so far. */
        SyncedCheckpoint(Jdbc.Flush write) {
            this.write = write;
        }

        @Override
        public void run() throws java.sql.SQLException {
            long ticket = tickets.incrementAndGet();
            lock.lock();
            try {
                while (synced < ticket) {
                    if (writing) {
                        written.awaitUninterruptibly();
                    } else {
                        writeOnce();
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        /** Runs one sync without the lock, which it holds on entry and on return. */
        private void writeOnce() throws java.sql.SQLException {
            writing = true;
            long upTo = tickets.get();
            boolean ok = false;
            lock.unlock();
            try {
                write.run();
                ok = true;
            } finally {
                lock.lock();
                writing = false;
                if (ok) {
                    synced = upTo;
                }
                written.signalAll();
            }
        }

        /** How many callers came so far (a test waits for its callers to be in line). */
        long callers() {
            return tickets.get();
        }
    }

    private static void checkpointSync(DataSource pool) throws java.sql.SQLException {
        try (var c = pool.getConnection(); var s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        }
    }

    /** Applies the migrations under db/migration; the same SQL runs on H2 and PostgreSQL. */
    public int migrate() {
        int executed = Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate()
                .migrationsExecuted;
        jdbc.flush(); // Flyway writes through its own connections, not through Jdbc
        BodyRecovery.recover(jdbc.bodies(), jdbc); // before any session: what a crash left half done
        return executed;
    }

    public DataSource dataSource() {
        return pool;
    }

    /** The one access layer of this database: its transactions and its group commit are shared by all stores. */
    public Jdbc jdbc() {
        return jdbc;
    }

    public boolean isH2() {
        return h2;
    }

    @Override
    public void close() {
        try {
            jdbc.flush(); // what only H2's own writer would have written (claims) goes to the file now
        } catch (StoreException ignored) {
            // closing anyway; every acknowledged write was flushed when it was made
        }
        pool.close();
    }

    /** Connection-pool metrics (active, idle, pending, timings) into this Micrometer registry. */
    public void meter(Object micrometerRegistry) {
        ((com.zaxxer.hikari.HikariDataSource) dataSource()).setMetricRegistry(micrometerRegistry);
    }
}
