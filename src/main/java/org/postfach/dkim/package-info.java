/**
 * DKIM for the alias domain (SPEC §7): signing every delivered form and every notice, and the keys
 * ({@code postfach dkim keygen}). Input: the bytes about to be stored for delivery. Output: the same bytes with one
 * {@code DKIM-Signature:} header prepended (rsa-sha256, relaxed/relaxed, d= the alias domain). Invariant: nothing
 * after the signature changes the message, so the archive holds exactly what was sent. Core: jDKIM and Jakarta
 * Mail only, no JDBC, SubEtha or HTTP.
 */
package org.postfach.dkim;
