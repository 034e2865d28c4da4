package org.postfach.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The searchable excerpt of a message's text: its first 4,000 characters once stripped. */
class ExcerptTest {
    /** What the excerpt is defined as: strip, then cut (the code avoids copying a long text to strip it). */
    static String reference(String text) {
        String t = text.strip();
        return t.length() <= 4000 ? t : t.substring(0, 4000);
    }

    @Test
    void theFirst4000CharactersOfTheStrippedText() {
        assertThat(Outgoing.excerpt(null)).isEmpty();
        assertThat(Outgoing.excerpt(" \r\n\t ")).isEmpty();
        assertThat(Outgoing.excerpt("\n Hallo \n")).isEqualTo("Hallo");
        String word = "Bestellung ".repeat(1000);
        assertThat(Outgoing.excerpt(word + "\n")).isEqualTo(word.substring(0, 4000));
        assertThat(Outgoing.excerpt("x".repeat(3990) + " ".repeat(20) + "y")).isEqualTo("x".repeat(3990) + " ".repeat(10));
        assertThat(Outgoing.excerpt("x".repeat(3990) + " ".repeat(20) + "\n")).isEqualTo("x".repeat(3990));
    }

    @Test
    void sameAsStripThenCutOnRandomText() {
        Random random = new Random(11);
        char[] alphabet = {'a', ' ', '\n', '\r', '\t', '\u2003', 'ü', '\u00a0'};
        for (int i = 0; i < 3000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(i % 10 == 0 ? 9000 : 60);
            for (int k = 0; k < n; k++) {
                b.append(random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : 'w');
            }
            if (random.nextBoolean()) {
                b.append(" \n".repeat(random.nextInt(5000)));
            }
            assertThat(Outgoing.excerpt(b.toString())).isEqualTo(reference(b.toString()));
        }
    }
}
