package org.postfach.proof;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Organizational domains and relaxed alignment (RFC 7489 §3.2) with the embedded suffix list. */
class DmarcTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "shop.example,            shop.example",
            "mail.shop.example,       shop.example",
            "a.b.mail.shop.example,   shop.example",
            "shop.co.uk,              shop.co.uk",
            "mail.shop.co.uk,         shop.co.uk",
            "co.uk,                   co.uk",
            "news.shop.com.au,        shop.com.au",
            "bounce.store.co.jp,      store.co.jp",
            "SHOP.Example.,           shop.example",
            "example,                 example",
    })
    void organizationalDomain(String name, String org) {
        assertThat(OrganizationalDomain.of(name)).isEqualTo(org);
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "shop.co.uk,        mail.shop.co.uk,   true",
            "shop.co.uk,        other.co.uk,       false",
            "shop.example,      bounce.shop.example, true",
            "shop.example,      shop.example.net,  false",
            "shop.example,      evilshop.example,  false",
            "mail.shop.com.au,  shop.com.au,       true",
            "shop.example,      '',                false",
    })
    void relaxedAlignment(String a, String b, boolean aligned) {
        assertThat(OrganizationalDomain.aligned(a, b)).isEqualTo(aligned);
    }
}
