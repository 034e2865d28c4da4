package org.postfach.policy;

import java.util.List;
import java.util.Locale;

/**
 * SPEC §4: the decoded subject contains one of the tags ({@code [Wichtig]}, {@code [Important]}) anywhere, in
 * any letter case. The brackets are part of the tag: {@code Wichtig} alone, or {@code [ Wichtig ]}, is not it.
 */
public final class ImportantTags {
    private final List<String> tags;

    public ImportantTags(List<String> tags) {
        this.tags = tags.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).filter(t -> !t.isEmpty()).toList();
    }

    public boolean tagged(String decodedSubject) {
        String s = decodedSubject.toLowerCase(Locale.ROOT);
        return tags.stream().anyMatch(s::contains);
    }

    public List<String> tags() {
        return tags;
    }
}
