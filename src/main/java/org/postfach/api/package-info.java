/**
 * The HTTP API (SPEC §9) on the JDK's HTTP server: route table, one resource class per SPEC resource, JSON errors.
 * Invariant: nothing a client sends produces a 500 or a stack trace.
 */
package org.postfach.api;
