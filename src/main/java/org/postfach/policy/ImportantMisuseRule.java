package org.postfach.policy;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postfach.config.Settings.MisuseAction;

/**
 * SPEC §4: an important tag is for order-critical mail. A tagged seller message that asks for a review or a
 * rating, or advertises, is recorded as a policy event, and blocked with its own notice when
 * {@code policy.importantMisuse=block}.
 */
public final class ImportantMisuseRule implements ContentRule {
    public static final String NOTICE = "blocked-important-misuse";
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    private static final Pattern REVIEW = Pattern.compile("\\b(bewertung(en)?|bewerten|bewerte|rezension(en)?"
            + "|sterne|5[- ]?sterne|feedback|review(s)?|rate us|rating|leave a review|stars?)\\b", FLAGS);
    private static final Pattern MARKETING = Pattern.compile("\\b(rabatt(e|code)?|gutschein(e|code)?|coupon(s)?"
            + "|discount(s)?|\\d{1,2}\\s?% off|\\d{1,2}\\s?% rabatt|sonderangebot(e)?|angebot(e)?|newsletter|sale"
            + "|promo(tion|code)?|neue produkte|new products|shop now|jetzt (kaufen|bestellen)|gratis|free shipping"
            + "|versandkostenfrei|black friday|cyber monday)\\b", FLAGS);

    private final ImportantTags tags;
    private final MisuseAction action;

    public ImportantMisuseRule(ImportantTags tags, MisuseAction action) {
        this.tags = tags;
        this.action = action;
    }

    @Override
    public String name() {
        return "important-misuse";
    }

    @Override
    public Verdict check(Candidate c, List<PolicyEvent> events) {
        if (!c.sellerInitiated() || !tags.tagged(c.facts().subject())) {
            return Verdict.CONTINUE;
        }
        String text = c.facts().subject() + "\n" + c.facts().text();
        String kind = find(REVIEW, text) != null ? "review request" : find(MARKETING, text) != null ? "marketing" : null;
        if (kind == null) {
            return Verdict.CONTINUE;
        }
        String word = kind.equals("review request") ? find(REVIEW, text) : find(MARKETING, text);
        events.add(new PolicyEvent(name(), kind + " (\"" + word.toLowerCase(java.util.Locale.ROOT) + "\")"));
        return action == MisuseAction.BLOCK ? new Verdict.Block(name(), NOTICE) : Verdict.CONTINUE;
    }

    private static String find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group() : null;
    }
}
