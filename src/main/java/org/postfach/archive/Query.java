package org.postfach.archive;

import java.time.Instant;

/**
 * A search of the archive; null fields do not restrict. Newest first; {@code before} is the cursor (an id);
 * {@code route}: one route's messages ({@code seller-to-buyer}, ...), for the console's views.
 */
public record Query(String sellerId, String alias, String orderId, Instant since, Instant until, String text,
                    String status, Boolean responseRequired, int limit, Long before, String route) {
    public Query(String sellerId, String alias, String orderId, Instant since, Instant until, String text,
                 String status, Boolean responseRequired, int limit, Long before) {
        this(sellerId, alias, orderId, since, until, text, status, responseRequired, limit, before, null);
    }
}
