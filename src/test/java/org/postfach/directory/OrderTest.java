package org.postfach.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** SPEC §4: an order number of the pair in the subject or body ties a message to its order. */
class OrderTest {
    static Order order(String id) {
        return new Order(id, "s1", "b1", null, null);
    }

    /** The definition the scan replaces: the number standing alone, in any case. */
    static boolean byPattern(String text, String id) {
        return !id.isBlank() && Pattern.compile("(?<![\\p{Alnum}-])" + Pattern.quote(id) + "(?![\\p{Alnum}]|-\\p{Alnum})",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(text).find();
    }

    @Test
    void theNumberStandingAloneNamesTheOrder() {
        Order o = order("302-1111111-1111111");
        assertThat(o.namedIn("Ihre Bestellung 302-1111111-1111111 ist unterwegs")).isTrue();
        assertThat(o.namedIn("302-1111111-1111111")).isTrue();
        assertThat(o.namedIn("(302-1111111-1111111).")).isTrue();
        assertThat(o.namedIn("302-1111111-1111111-")).as("a trailing hyphen alone").isTrue();
        assertThat(o.namedIn("1302-1111111-1111111")).as("part of a longer number").isFalse();
        assertThat(o.namedIn("302-1111111-11111112")).isFalse();
        assertThat(o.namedIn("x-302-1111111-1111111")).isFalse();
        assertThat(o.namedIn("302-1111111-1111111-2")).isFalse();
        assertThat(o.namedIn("302-1111111-111111")).isFalse();
        assertThat(o.namedIn("")).isFalse();
        assertThat(order("ORD-ab").namedIn("see ord-AB, please")).as("any case").isTrue();
        assertThat(order("ORD-ab").namedIn("see ord-ABc")).isFalse();
        assertThat(order("äb1").namedIn("Äb1 und")).isTrue();
        assertThat(order(" ").namedIn("a   b")).as("a blank number names nothing").isFalse();
    }

    @Test
    void theScanAgreesWithThePatternOnRandomText() {
        Random random = new Random(20261207);
        String alphabet = "0123456789--abAB ä.\n";
        for (int round = 0; round < 20_000; round++) {
            StringBuilder id = new StringBuilder();
            for (int i = 1 + random.nextInt(4); i > 0; i--) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length() - 3)));
            }
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(40); i > 0; i--) {
                text.append(random.nextInt(6) == 0 ? id.toString() : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
            }
            assertThat(order(id.toString()).namedIn(text.toString())).as("'%s' in '%s'", id, text)
                    .isEqualTo(byPattern(text.toString(), id.toString()));
        }
    }
}
