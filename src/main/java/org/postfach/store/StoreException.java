package org.postfach.store;

import java.sql.SQLException;

/** A database failure. {@link #isUniqueViolation()} tells a broken uniqueness rule from an outage. */
public final class StoreException extends RuntimeException {
    private final String sqlState;
    private final boolean inDoubt;

    private StoreException(String message, String sqlState, boolean inDoubt, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
        this.inDoubt = inDoubt;
    }

    static StoreException of(SQLException e) {
        return new StoreException("database: " + e.getMessage(), e.getSQLState(), false, e);
    }

    /** The transaction committed, but writing it to disk failed: it may or may not be there after a restart. */
    static StoreException inDoubt(SQLException e) {
        return new StoreException("database: writing a commit to disk failed: " + e.getMessage(), e.getSQLState(),
                true, e);
    }

    /** See {@link #inDoubt(SQLException)}: what the transaction referred to must be kept. */
    public boolean isInDoubt() {
        return inDoubt;
    }

    /** SQLSTATE 23505 on both H2 and PostgreSQL. */
    public boolean isUniqueViolation() {
        return "23505".equals(sqlState);
    }

    public boolean isIntegrityViolation() {
        return sqlState != null && sqlState.startsWith("23");
    }
}
