/**
 * Schema migrations in Java, for the few questions an SQL file cannot ask alike on H2 and PostgreSQL (what the
 * engine created by itself); Flyway runs them in version order with the SQL files under {@code db/migration}.
 */
package org.postfach.store.migration;
