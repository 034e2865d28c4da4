/**
 * Sellers, buyers, orders and aliases. Input: registrations from the API and look-ups from resolve.
 * Invariant: a seller has one alias, a buyer one alias per seller, and neither ever changes (SPEC §2).
 */
package org.postfach.directory;
