/**
 * Delivery: workers that take due entries from the queue and hand them to a transport (smarthost or file).
 * Invariant: an entry's outcome is recorded after the transport answered; a crash leaves a lease that expires.
 */
package org.postfach.delivery;
