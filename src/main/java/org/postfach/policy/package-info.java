/**
 * The policy filter (SPEC §4): small rules in one fixed chain ({@link org.postfach.policy.Policy#standard}).
 * Input: the route resolved at RCPT and, at end of DATA, the facts parsed from the whole message. Output: a
 * {@link org.postfach.policy.Verdict} (continue, reject, defer, block) and the policy events to record.
 * Invariant: no rule can accept; the relay gate is in {@code resolve}, before policy. Buyer mail is never
 * blocked by an opt-out.
 */
package org.postfach.policy;
