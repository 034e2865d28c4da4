package org.postfach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** A thin layer over JDBC: parameter binding, row mapping, transactions. SQL errors become {@link StoreException}. */
public final class Jdbc {
    private final DataSource dataSource;
    private final Flush flush;
    private final Bodies bodies;
    private final ThreadLocal<Tx> current = new ThreadLocal<>();

    private final GroupCommit commits;
    private final GroupCommit claims;

    /** For a database whose commit is durable by itself (PostgreSQL, or H2 opened with WRITE_DELAY=0). */
    public Jdbc(DataSource dataSource) {
        this(dataSource, Flush.NONE, Bodies.IN_TABLE);
    }

    /**
     * {@code flush} makes everything committed so far durable; it runs after each transaction that wrote, before
     * the caller hears of its commit (the embedded H2 commits to memory and writes its file here, see {@link
     * Database}). {@code bodies}: where this database keeps the raw forms of messages.
     */
    Jdbc(DataSource dataSource, Flush flush, Bodies bodies) {
        this.dataSource = dataSource;
        this.flush = flush;
        this.bodies = bodies;
        this.commits = new GroupCommit(this, 64, 1 << 20, true);
        // a lease lost in a crash costs nothing: the entry is still due after the restart; so claims are not flushed
        this.claims = new GroupCommit(this, 64, 1 << 20, false);
    }

    /** Where the raw forms of messages live: in message_bodies, or in files beside an H2 file database. */
    Bodies bodies() {
        return bodies;
    }

    /** Makes the commits so far durable. */
    @FunctionalInterface
    interface Flush {
        Flush NONE = () -> { };

        void run() throws SQLException;
    }

    /** The transaction of the current thread, and whether it wrote anything (a read-only one needs no flush). */
    private static final class Tx {
        final Connection connection;
        boolean wrote;

        Tx(Connection connection) {
            this.connection = connection;
        }
    }

    /** A committed transaction's result, and whether it wrote. */
    record Committed<T>(T result, boolean wrote) {
    }

    /**
     * Runs {@code work}, which writes about {@code bytes}, all or nothing, in a transaction it may share with other
     * threads' work ({@link GroupCommit}); returns after the commit. For writes many sessions make at once: one
     * commit serves them all. {@code bytes}: about how much the work writes (a work over 1 MB is not grouped).
     */
    public <T> T grouped(long bytes, Work<T> work) {
        return grouped(commits, bytes, work);
    }

    /**
     * Like {@link #grouped}, for claims of queue entries, whose commits are shared only with other claims: in one
     * transaction with saves, the claims of two nodes could lock rows in opposite orders around a save's locks,
     * and the deadlock that ends one of them would have failed the save (a 451 to the client).
     */
    public <T> T groupedClaims(Work<T> work) {
        return grouped(claims, 0, work);
    }

    /** Inside a transaction already, the work joins it; else it goes to {@code group}. */
    private <T> T grouped(GroupCommit group, long bytes, Work<T> work) {
        return current.get() != null ? inTransaction(work) : group.run(work, bytes);
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in one transaction; nested calls join the outer one. Returns when it is durable. */
    public <T> T inTransaction(Work<T> work) {
        if (current.get() != null) {
            try {
                return work.run();
            } catch (SQLException e) {
                throw StoreException.of(e);
            }
        }
        Committed<T> done = commit(work);
        if (done.wrote()) {
            flush();
        }
        return done.result();
    }

    /** Runs {@code work} in a transaction of its own and commits it, without {@link #flush}: the caller flushes. */
    <T> Committed<T> commit(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Tx tx = new Tx(c);
            current.set(tx);
            try {
                T result = work.run();
                c.commit();
                return new Committed<>(result, tx.wrote);
            } catch (SQLException e) {
                rollback(c);
                throw StoreException.of(e);
            } catch (RuntimeException | Error e) {
                rollback(c);
                throw e;
            } finally {
                current.remove();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    /** Makes everything committed so far durable (see {@link Flush}). */
    void flush() {
        try {
            flush.run();
        } catch (SQLException e) {
            throw StoreException.inDoubt(e);
        }
    }

    /**
     * Runs {@code work} inside the current transaction behind a savepoint: when it throws, only its own
     * statements are undone and the transaction goes on (group commit keeps one session's refusal from undoing
     * the others' messages).
     */
    public <T> T inSavepoint(Work<T> work) {
        Tx tx = current.get();
        if (tx == null) {
            throw new IllegalStateException("a savepoint needs a transaction");
        }
        Connection c = tx.connection;
        java.sql.Savepoint sp;
        try {
            // one name for all: a new savepoint of the same name replaces the last (SQL standard), and H2 then
            // finds its SAVEPOINT command in the query cache; unnamed ones got a new SQL text each and flooded it
            sp = c.setSavepoint("unit");
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
        try {
            T result = work.run();
            c.releaseSavepoint(sp);
            return result;
        } catch (SQLException e) {
            rollbackTo(c, sp);
            throw StoreException.of(e);
        } catch (RuntimeException | Error e) {
            rollbackTo(c, sp);
            throw e;
        }
    }

    private static void rollbackTo(Connection c, java.sql.Savepoint sp) {
        try {
            c.rollback(sp);
        } catch (SQLException e) {
            throw new BrokenTransaction(e); // the transaction is unusable: the whole group fails
        }
    }

    /** Rolling back to a savepoint failed: the transaction around it cannot be committed. */
    static final class BrokenTransaction extends RuntimeException {
        BrokenTransaction(SQLException cause) {
            super("database: " + cause.getMessage(), cause);
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the original failure is what matters
        }
    }

    /** The current transaction's connection, for a statement that writes. */
    private Connection writing() {
        Tx tx = current.get();
        tx.wrote = true;
        return tx.connection;
    }

    public int update(String sql, Object... params) {
        return inTransaction(() -> {
            try (PreparedStatement ps = writing().prepareStatement(sql)) {
                bind(ps, params);
                return ps.executeUpdate();
            }
        });
    }

    /** Inserts and answers the generated key of column {@code id}. */
    public long insert(String sql, Object... params) {
        return inTransaction(() -> {
            try (PreparedStatement ps = writing().prepareStatement(sql, new String[] {"id"})) {
                bind(ps, params);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("no generated key");
                    }
                    return keys.getLong(1);
                }
            }
        });
    }

    public <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
        return inTransaction(() -> {
            try (PreparedStatement ps = current.get().connection.prepareStatement(sql)) {
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    List<T> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(mapper.map(rs));
                    }
                    return out;
                }
            }
        });
    }

    public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = list(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant instant) {
                ps.setTimestamp(i + 1, Timestamp.from(instant));
            } else if (p instanceof java.time.LocalDate date) {
                ps.setDate(i + 1, java.sql.Date.valueOf(date));
            } else if (p instanceof byte[] bytes) {
                ps.setBytes(i + 1, bytes);
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    /** {@code n} parameter marks for an IN list: {@code ?, ?, ?}. */
    static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
