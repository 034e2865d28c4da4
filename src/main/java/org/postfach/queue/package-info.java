/**
 * The outbound queue port, its states (QUEUED, SENDING, DEFERRED, DELIVERED, FAILED), the retry schedule and the
 * in-memory hand-over of stored messages to this node's workers ({@link org.postfach.queue.HandOff}).
 * Invariant: an entry leaves SENDING only through its lease holder or an expired lease; a handed-over entry is
 * written as a lease of the node it was handed to.
 */
package org.postfach.queue;
