package org.postfach.directory;

import java.time.Instant;

/** An order of one buyer at one seller; the category matters for the opt-out exemption (SPEC §4). */
public record Order(String id, String sellerId, String buyerId, String category, Instant placedAt) {
}
