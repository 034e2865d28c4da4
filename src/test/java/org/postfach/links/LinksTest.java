package org.postfach.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SPEC §10: a link names one action on one buyer and seller; neither a forger nor an edit can change that, and the
 * link shows nothing of what it names.
 */
class LinksTest {
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final Instant NOW = Instant.parse("2026-12-07T22:00:00Z");
    final Links links = new Links(KEY, URI.create("https://mail.marketplace.example/"));

    @Test
    void anOptOutLinkNamesTheBuyerAndTheSellerDoesNotExpireAndShowsNeither() {
        String url = links.optOutUrl("erika-muster-4711", "weinhandel-berg");
        assertThat(url).startsWith("https://mail.marketplace.example/unsubscribe/").doesNotContain("//unsubscribe");
        String token = url.substring(url.lastIndexOf('/') + 1);
        assertThat(token).matches("[A-Za-z0-9_-]{40,}");
        assertThat(links.read(token, NOW.plus(Duration.ofDays(3650)))).get()
                .isEqualTo(new Links.Link(Links.Action.OPT_OUT, "erika-muster-4711", "weinhandel-berg", null));
        String bytes = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain("erika").doesNotContain("4711").doesNotContain("weinhandel");
        assertThat(links.optOutUrl("erika-muster-4711", "weinhandel-berg")).as("the same pair, the same link")
                .isEqualTo(url);
        assertThat(links.optOutUrl("erika-muster-4712", "weinhandel-berg")).isNotEqualTo(url);
    }

    @Test
    void aLinkWithAnExpiryWorksUntilThen() {
        Instant expires = NOW.plus(Duration.ofDays(30));
        String token = links.token(Links.Action.OPT_OUT, "b1", "s1", expires);
        assertThat(links.read(token, NOW)).get().extracting(Links.Link::expires).isEqualTo(expires);
        assertThat(links.read(token, expires.minusSeconds(1))).isPresent();
        assertThat(links.read(token, expires)).isEmpty();
    }

    @Test
    void anEditedOrForeignTokenIsNoLink() {
        String token = links.token(Links.Action.OPT_OUT, "b1", "s1", null);
        byte[] sealed = Base64.getUrlDecoder().decode(token);
        for (int i = 0; i < sealed.length; i++) { // every bit of every byte
            for (int bit = 0; bit < 8; bit++) {
                byte[] edited = sealed.clone();
                edited[i] ^= (byte) (1 << bit);
                assertThat(links.read(Base64.getUrlEncoder().withoutPadding().encodeToString(edited), NOW))
                        .as("byte %d bit %d", i, bit).isEmpty();
            }
        }
        // sealed with another key
        Links foreign = new Links("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII),
                URI.create("https://mail.marketplace.example"));
        assertThat(links.read(foreign.token(Links.Action.OPT_OUT, "b1", "s1", null), NOW)).isEmpty();
        // cut short or made longer
        assertThat(links.read(token.substring(0, token.length() - 2), NOW)).isEmpty();
        assertThat(links.read(token + "AA", NOW)).isEmpty();
        assertThat(links.read(token, NOW)).isPresent();
    }

    @Test
    void garbageIsNoLinkAndThrowsNothing() {
        Random random = new Random(7);
        String alphabet = "ab.-_=+/%\n\u00e4AZ09";
        for (int i = 0; i < 5_000; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(80); n > 0; n--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(links.read(s.toString(), NOW)).isEmpty();
        }
        for (String s : new String[] {"", ".", "AAAA", "A".repeat(22), "x".repeat(10_000), null}) {
            assertThat(links.read(s, NOW)).isEmpty();
        }
        // well sealed, but not four fields, or an unknown action, or a bad expiry: still no link
        assertThat(links.read(links.seal("o\nb1\ns1"), NOW)).isEmpty();
        assertThat(links.read(links.seal("z\nb1\ns1\n"), NOW)).isEmpty();
        assertThat(links.read(links.seal("o\nb1\ns1\nsoon"), NOW)).isEmpty();
        assertThat(links.read(links.seal("o\nb1\ns1\n99999999999999999999"), NOW)).isEmpty();
        assertThat(links.read(links.seal("o\nb1\ns1\n"), NOW)).isPresent();
    }
}
