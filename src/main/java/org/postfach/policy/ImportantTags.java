package org.postfach.policy;

import java.util.List;
import java.util.Locale;

/**
 * SPEC §4: the decoded subject contains one of the tags ({@code [Wichtig]}, {@code [Important]}) anywhere, in
 * any letter case. The brackets are part of the tag: {@code Wichtig} alone, or {@code [ Wichtig ]}, is not it.
 * SPEC §10: the subject "Additional information required" ("Zusätzliche Informationen erforderlich"), which the
 * console offers, counts as tagged too -- as the whole subject, in any letter case, also after "Re:" or "AW:".
 */
public final class ImportantTags {
    /** SPEC §10's subjects that pass a buyer's opt-out like a tag. */
    public static final List<String> ADDITIONAL_INFORMATION = List.of("Additional information required",
            "Zusätzliche Informationen erforderlich");
    private static final java.util.regex.Pattern REPLY_PREFIX = java.util.regex.Pattern.compile(
            "^(?:\\s*(?:re|aw|antw|wg|fwd?)\\s*:\\s*)+", java.util.regex.Pattern.CASE_INSENSITIVE);
    private final List<String> tags;

    public ImportantTags(List<String> tags) {
        this.tags = tags.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).filter(t -> !t.isEmpty()).toList();
    }

    public boolean tagged(String decodedSubject) {
        String s = decodedSubject.toLowerCase(Locale.ROOT);
        if (tags.stream().anyMatch(s::contains)) {
            return true;
        }
        String bare = REPLY_PREFIX.matcher(decodedSubject).replaceFirst("").strip();
        return ADDITIONAL_INFORMATION.stream().anyMatch(bare::equalsIgnoreCase);
    }

    public List<String> tags() {
        return tags;
    }
}
