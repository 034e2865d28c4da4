package org.postfach.policy;

/** SPEC §4 exemption: the decoded subject carries an important tag such as {@code [Wichtig]}. */
public final class ImportantTagExemption implements Exemption {
    private final ImportantTags tags;

    public ImportantTagExemption(ImportantTags tags) {
        this.tags = tags;
    }

    @Override
    public String name() {
        return "important-tag";
    }

    @Override
    public boolean holds(Candidate c) {
        return tags.tagged(c.facts().subject());
    }
}
