/**
 * Rewrite: the delivered form of a message. Input: the original bytes and the parties as each side sees them.
 * Invariant: nothing of the sender's real identity survives in a header; parts not rewritten stay byte for byte.
 */
package org.postfach.rewrite;
