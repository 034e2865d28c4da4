package org.postfach.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The address search looks only around each "at"; it must find exactly what a search of the whole text finds. */
class ContactScrubberTest {
    private static final String ALIAS_DOMAIN = "marketplace.example";
    private final ContactScrubber scrubber = new ContactScrubber(ALIAS_DOMAIN, "DE");

    @Test
    void findsWhatAWholeTextSearchFinds() {
        Random random = new Random(20261207);
        String[] pieces = {"a", "b", "x", "ä", "1", ".", "-", "_", " ", "  ", "\n", "@", "(at)", " [ at ] ", "{@}",
                "(dot)", " ( punkt ) ", "shop", "de", ALIAS_DOMAIN, "<", ">", "(", ")", ",", "m".repeat(70)};
        for (int round = 0; round < 5000; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(40); i > 0; i--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            String in = text.toString();
            List<ContactRedactor.Removal> removals = new ArrayList<>();
            String got = scrubber.text(in, "body", removals);
            String wantEmails = wholeTextSearch(ContactScrubber.EMAIL, in, true);
            String want = wholeTextSearch(ContactScrubber.OBFUSCATED, wantEmails, false);
            // the phone search runs after both; these texts have too few digits for it
            assertThat(got).as("round %d: [%s]", round, in).isEqualTo(want);
        }
    }

    @Test
    void aLongTextWithOneAddressAtTheEnd() {
        String in = "Lorem ipsum dolor sit amet. ".repeat(4000) + "Schreiben Sie an max (at) shop (dot) de oder "
                + "info@shop.example, nicht an reply@" + ALIAS_DOMAIN;
        assertThat(scrubber.text(in, "body", new ArrayList<>())).endsWith(
                "Schreiben Sie an [removed] oder [removed], nicht an reply@" + ALIAS_DOMAIN);
    }

    /** The search before windows: the pattern tried over the whole text, aliases kept. */
    private static String wholeTextSearch(Pattern pattern, String text, boolean keepAliases) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            if (keepAliases && m.group(1).toLowerCase(Locale.ROOT).equals(ALIAS_DOMAIN)) {
                continue;
            }
            out.append(text, last, m.start()).append(ContactScrubber.REMOVED);
            last = m.end();
        }
        return out.append(text, last, text.length()).toString();
    }
}
