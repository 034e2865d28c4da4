/**
 * Intake: resolve, policy, rewrite, store in one transaction, then the reply.
 * Input: the envelope and the whole message. Output: an SmtpReply. Invariant: 250 only after the commit.
 */
package org.postfach.intake;
