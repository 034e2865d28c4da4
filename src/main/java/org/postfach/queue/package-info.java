/**
 * The outbound queue port, its states (QUEUED, SENDING, DEFERRED, DELIVERED, FAILED) and the retry schedule.
 * Invariant: an entry leaves SENDING only through its lease holder or an expired lease.
 */
package org.postfach.queue;
