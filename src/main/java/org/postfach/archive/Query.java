package org.postfach.archive;

import java.time.Instant;

/** A search of the archive; null fields do not restrict. Newest first; {@code before} is the cursor (an id). */
public record Query(String sellerId, String alias, String orderId, Instant since, Instant until, String text,
                    String status, Boolean responseRequired, int limit, Long before) {
}
