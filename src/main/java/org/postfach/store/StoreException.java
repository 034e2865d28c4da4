package org.postfach.store;

import java.sql.SQLException;

/** A database failure. {@link #isUniqueViolation()} tells a broken uniqueness rule from an outage. */
public final class StoreException extends RuntimeException {
    private final String sqlState;

    private StoreException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    static StoreException of(SQLException e) {
        return new StoreException("database: " + e.getMessage(), e.getSQLState(), e);
    }

    /** SQLSTATE 23505 on both H2 and PostgreSQL. */
    public boolean isUniqueViolation() {
        return "23505".equals(sqlState);
    }

    public boolean isIntegrityViolation() {
        return sqlState != null && sqlState.startsWith("23");
    }
}
