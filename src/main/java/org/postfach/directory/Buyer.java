package org.postfach.directory;

import org.postfach.mail.Address;

/** A registered buyer; {@code optedOut} is the opt-out of all sellers' non-essential mail (SPEC §4). */
public record Buyer(String id, String name, Address email, boolean optedOut) {
}
