package org.postfach.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postfach.directory.Order;

/**
 * SPEC §4 exemption "order category": an order of this pair in handmade, wine or custom, named by its number
 * in the subject or the body. The pair has one order per category; another pair has a wine order.
 */
class OrderCategoryExemptionTest {
    private static final Instant T = Instant.parse("2026-11-01T10:00:00Z");
    private static final List<Order> ORDERS = List.of(
            new Order("302-1111111-1111111", "s1", "b1", "handmade", T),
            new Order("302-2222222-2222222", "s1", "b1", "wine", T),
            new Order("302-3333333-3333333", "s1", "b1", "Custom", T),
            new Order("302-4444444-4444444", "s1", "b1", "books", T),
            new Order("302-5555555-5555555", "s1", "b1", null, T),
            new Order("302-6666666-6666666", "s1", "b2", "wine", T));

    private final OrderCategoryExemption exemption = new OrderCategoryExemption((seller, buyer) ->
            ORDERS.stream().filter(o -> o.sellerId().equals(seller) && o.buyerId().equals(buyer)).toList());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            handmade order in the subject     | Ihre Bestellung 302-1111111-1111111      | Hallo                                      | true
            wine order in the body            | Lieferung                                | Zu Ihrer Bestellung 302-2222222-2222222.   | true
            custom order, category any case   | Gravur                                   | Bestellung 302-3333333-3333333: Text?      | true
            order number in parentheses       | Frage (302-1111111-1111111)              | Hallo                                      | true
            order number at the end of a line | Hallo                                    | Bestellnummer:302-2222222-2222222          | true
            order number with Nr. prefix      | Nr.302-3333333-3333333                   | x                                          | true
            books order                       | Bestellung 302-4444444-4444444           | Hallo                                      | false
            order without category            | Bestellung 302-5555555-5555555           | Hallo                                      | false
            another buyer's wine order        | Bestellung 302-6666666-6666666           | Hallo                                      | false
            no order number                   | Ihr Wein                                 | Ihre handmade Bestellung                   | false
            number inside a longer number     | Bestellung 1302-1111111-11111119         | Hallo                                      | false
            number with an extra part         | Bestellung 302-1111111-1111111-2         | Hallo                                      | false
            only a part of the number         | Bestellung 1111111-1111111               | Hallo                                      | false
            category word only                | handmade wine custom                     | handmade                                   | false
            """)
    void orderNumberOfAnExemptCategory(String name, String subject, String body, boolean exempt) {
        var facts = Fixtures.facts("Subject: " + subject, body);
        assertThat(exemption.holds(Fixtures.candidate(Fixtures.sellerToBuyer(), facts))).as(name).isEqualTo(exempt);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            order number in an HTML body | <p>Bestellung <b>302-2222222-2222222</b></p> | true
            number only in an attribute  | <a title="302-2222222-2222222">Link</a>      | false
            """)
    void htmlBodiesAreReadAsText(String name, String html, boolean exempt) {
        String raw = "From: owner@shop.example\r\nSubject: Lieferung\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/html; charset=UTF-8\r\n\r\n<html><body>" + html + "</body></html>\r\n";
        org.postfach.mail.MessageFacts facts;
        try {
            facts = org.postfach.mail.MessageFacts.parse(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(exemption.holds(Fixtures.candidate(Fixtures.sellerToBuyer(), facts))).as(name).isEqualTo(exempt);
    }
}
