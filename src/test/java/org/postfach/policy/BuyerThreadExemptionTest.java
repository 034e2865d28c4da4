package org.postfach.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postfach.resolve.Route;

/**
 * SPEC §4 exemption "reply in a buyer-initiated thread": In-Reply-To or References name a relay Message-ID of
 * a message this buyer sent to this seller. The archive is stubbed with three known messages.
 */
class BuyerThreadExemptionTest {
    /** relay ID, buyer, seller of messages buyers sent to sellers. */
    private record Sent(String id, String buyer, String seller) {
    }

    private static final Set<Sent> ARCHIVE = Set.of(
            new Sent("<buyer1toseller1@marketplace.example>", "b1", "s1"),
            new Sent("<buyer2toseller1@marketplace.example>", "b2", "s1"),
            new Sent("<buyer1toseller2@marketplace.example>", "b1", "s2"));

    private final BuyerThreadExemption exemption = new BuyerThreadExemption((ids, buyer, seller) ->
            ids.stream().anyMatch(id -> ARCHIVE.contains(new Sent(id.toLowerCase(), buyer, seller))));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            reply to the buyer's message                | In-Reply-To: <buyer1toseller1@marketplace.example>                 | true
            only in References                          | References: <x@shop.example> <buyer1toseller1@marketplace.example> | true
            upper-case ID                               | In-Reply-To: <BUYER1TOSELLER1@marketplace.example>                | true
            deep in a long thread                       | References: <a@m.example> <b@m.example>\\r\\n <buyer1toseller1@marketplace.example> <c@m.example> | true
            both headers                                | In-Reply-To: <buyer1toseller1@marketplace.example>\\r\\nReferences: <buyer1toseller1@marketplace.example> | true
            In-Reply-To with a comment                  | In-Reply-To: Erika's message <buyer1toseller1@marketplace.example> | true
            no thread headers                           | X-Other: 1                                                          | false
            another buyer's message                     | In-Reply-To: <buyer2toseller1@marketplace.example>                 | false
            this buyer's message to another seller      | In-Reply-To: <buyer1toseller2@marketplace.example>                 | false
            an unknown relay ID                         | In-Reply-To: <unknown000000000@marketplace.example>               | false
            the seller's own earlier message            | References: <sellers-own@shop.example>                            | false
            the ID without angle brackets               | In-Reply-To: buyer1toseller1@marketplace.example                   | false
            """)
    void threadReplies(String name, String headers, boolean exempt) {
        var facts = Fixtures.facts(headers.replace("\\r\\n", "\r\n") + "\r\nSubject: Re: Frage", "Antwort");
        assertThat(exemption.holds(Fixtures.candidate(Fixtures.sellerToBuyer(), facts))).as(name).isEqualTo(exempt);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            buyer to seller | BUYER
            carrier         | CARRIER
            """)
    void onlySellerMailNeedsTheExemption(String name, String kind) {
        Route route = kind.equals("BUYER") ? Fixtures.buyerToSeller() : Fixtures.carrier();
        var facts = Fixtures.facts("In-Reply-To: <buyer1toseller1@marketplace.example>\r\nSubject: x", "y");
        assertThat(exemption.holds(Fixtures.candidate(route, facts))).isFalse();
    }
}
