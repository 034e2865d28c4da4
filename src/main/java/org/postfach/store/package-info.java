/**
 * The only package with SQL: the pool, the migrations and the JDBC implementations of the core's ports.
 * Invariant: every statement is portable between H2 and PostgreSQL.
 */
package org.postfach.store;
