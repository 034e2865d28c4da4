package org.postfach.archive;

import java.util.List;

/** One page of search results, newest first; {@code next} is the cursor of the following page, or null. */
public record Page(List<ArchivedMessage> items, Long next) {
}
