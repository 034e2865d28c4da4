/**
 * Bounces: signed per-message VERP addresses, and (later) DSN matching and notices.
 * Invariant: a notice never names a real address or quotes a remote server's diagnostic.
 */
package org.postfach.bounce;
