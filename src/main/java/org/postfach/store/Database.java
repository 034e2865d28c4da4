package org.postfach.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection pool and the migrations. H2 commits to memory (WRITE_DELAY=500: H2 itself would write the file
 * only every half second), and {@link Jdbc} has the file written and synced to the disk after each transaction
 * that wrote, before the caller hears of the commit ({@code CHECKPOINT SYNC} through a {@link GroupSync}): a
 * message answered 250 survives kill -9 of the JVM and a power loss (SPEC §6). One write and sync serves every
 * transaction committed while the one before it ran; queue claims, which need no durability, are not written on
 * their own at all.
 *
 * <p>H2's own compaction of its file is off ({@code AUTO_COMPACT_FILL_RATE=0}): under load it moved and rewrote
 * chunks under the lock that every commit's write waits for, and the sessions stalled behind it, all twenty at once
 * (bench/RESULTS.md, eighth session). The relay compacts when the store is quiet instead ({@link #compactIfIdle}).
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final boolean h2;
    private final Jdbc jdbc;
    /** The H2 store's version at the last {@link #compactIfIdle}; guarded by this. */
    private long versionSeen = -1;

    /** {@link #compactIfIdle} rewrites the live pages of chunks less full than this, percent. */
    static final int COMPACT_BELOW_FILL_RATE = 80;
    /** ... and about this many bytes of them per round, then writes and syncs them. */
    static final int COMPACT_BYTES = 4 * 1024 * 1024;
    /** ... when no more than this many writes of the file came since the last look (a trickle of mail is quiet). */
    static final int QUIET_WRITES = 20;

    private Database(HikariDataSource pool, boolean h2, Bodies bodies) {
        this.pool = pool;
        this.h2 = h2;
        this.jdbc = new Jdbc(pool, h2 ? new GroupSync<>(() -> checkpointSync(pool))::run : Jdbc.Flush.NONE, bodies);
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
        if (!upper.contains(";AUTO_COMPACT_FILL_RATE=")) {
            b.append(";AUTO_COMPACT_FILL_RATE=0"); // see the class comment: compactIfIdle does it
        }
        return b.toString();
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

    /**
     * When the H2 file was quiet since the last call (the relay calls this every few seconds; quiet: written at most
     * {@link #QUIET_WRITES} times), rewrites the live pages of its sparsest chunks into new ones, {@link
     * #COMPACT_BYTES} at a time, up to {@code rounds} times, and writes and syncs each round; it stops when the file
     * gets busy. The old chunks are then free, and H2 writes new chunks into their space instead of growing the file.
     * Answers how many rounds ran. (Shrinking the file is {@code SHUTDOWN COMPACT} with the relay stopped, see
     * README.)
     */
    public synchronized int compactIfIdle(int rounds) {
        org.h2.mvstore.MVStore store = mvStore();
        if (store == null || store.getFileStore() == null) {
            return 0; // PostgreSQL, or an in-memory H2
        }
        int done = 0;
        while (done < rounds) {
            long version = store.getCurrentVersion();
            if (versionSeen < 0 || version - versionSeen > QUIET_WRITES) { // busy since the last look
                versionSeen = version;
                break;
            }
            if (!store.compact(COMPACT_BELOW_FILL_RATE, COMPACT_BYTES)) {
                break; // no chunk that sparse left
            }
            jdbc.flush(); // writes the rewritten pages
            versionSeen = store.getCurrentVersion();
            done++;
        }
        return done;
    }

    /** The H2 store under this pool, or null. */
    org.h2.mvstore.MVStore mvStore() {
        if (!h2) {
            return null;
        }
        try (java.sql.Connection c = pool.getConnection()) {
            return c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession() instanceof org.h2.engine.SessionLocal l
                    ? l.getDatabase().getStore().getMvStore() : null;
        } catch (java.sql.SQLException e) {
            return null;
        }
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
