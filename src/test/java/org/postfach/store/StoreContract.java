package org.postfach.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of the storage contract tests: each test gets an empty, migrated database of one engine. A subclass per
 * engine names the URL: {@code *H2Test} an in-memory H2, {@code *PostgresIT} a fresh database on the test
 * PostgreSQL ({@link org.postfach.testing.Postgres}). The same assertions hold on both (ARCHITECTURE "Tests").
 */
abstract class StoreContract {
    Database db;
    int migrations;

    /** A JDBC URL of a new, empty database. */
    abstract String freshUrl();

    @BeforeEach
    void openDatabase() {
        db = Database.open(freshUrl(), 24);
        migrations = db.migrate();
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    static String h2() {
        return "jdbc:h2:mem:" + java.util.UUID.randomUUID();
    }

    static String postgres() {
        return org.postfach.testing.Postgres.freshDatabase();
    }
}
