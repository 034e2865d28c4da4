package org.postfach.directory;

import java.time.Instant;

/** An order of one buyer at one seller; the category matters for the opt-out exemption (SPEC §4). */
public record Order(String id, String sellerId, String buyerId, String category, Instant placedAt) {
    /**
     * Whether {@code text} names this order (SPEC §4: "an order number of the pair in the subject or body ties a
     * message to an order"): its number in any case, standing alone, not part of a longer one: no ASCII letter,
     * digit or hyphen just before it, no letter or digit just after it, nor a hyphen followed by one.
     *
     * <p>A scan for the number's first character, not a regular expression: it runs over the text of every relayed
     * message (up to a megabyte), and a pattern that starts with a look-behind is tried at every position.
     */
    public boolean namedIn(String text) {
        int n = id.length();
        if (n == 0 || id.isBlank() || text == null || text.length() < n) {
            return false;
        }
        char lower = Character.toLowerCase(id.charAt(0));
        char upper = Character.toUpperCase(id.charAt(0));
        for (int at = next(text, lower, upper, 0); at >= 0 && at + n <= text.length();
                at = next(text, lower, upper, at + 1)) {
            if (text.regionMatches(true, at, id, 0, n) && !joined(text, at - 1, true) && !after(text, at + n)) {
                return true;
            }
        }
        return false;
    }

    private static int next(String text, char lower, char upper, int from) {
        int a = text.indexOf(lower, from);
        if (lower == upper) {
            return a;
        }
        int b = text.indexOf(upper, from);
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    /** Whether the character at {@code i} is an ASCII letter or digit (or, with {@code hyphen}, a hyphen). */
    private static boolean joined(String text, int i, boolean hyphen) {
        if (i < 0 || i >= text.length()) {
            return false;
        }
        char c = text.charAt(i);
        return c < 128 && (Character.isLetterOrDigit(c) || hyphen && c == '-');
    }

    private static boolean after(String text, int i) {
        return joined(text, i, false) || i < text.length() && text.charAt(i) == '-' && joined(text, i + 1, false);
    }
}
