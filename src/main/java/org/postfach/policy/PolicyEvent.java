package org.postfach.policy;

/**
 * Something a rule noticed or did on a message, kept with the archived message (SPEC §4, §8): a removed
 * contact detail, a flagged misuse, an exemption that let a message through an opt-out. {@code detail} never
 * holds a real address or a removed value.
 */
public record PolicyEvent(String rule, String detail) {
}
