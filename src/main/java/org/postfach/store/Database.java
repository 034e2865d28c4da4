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
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final boolean h2;
    private final Jdbc jdbc;

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
        return b.toString();
    }

    private static void checkpointSync(DataSource pool) throws java.sql.SQLException {
        try (var c = pool.getConnection(); var s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        }
    }

    /**
     * Applies the migrations: the SQL files under db/migration, the same text on H2 and PostgreSQL, and the few in
     * Java under {@link org.postfach.store.migration}, which ask JDBC's metadata what the engine made by itself.
     */
    public int migrate() {
        int executed = Flyway.configure().dataSource(pool)
                .locations("classpath:db/migration", "classpath:org/postfach/store/migration").load().migrate()
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
