package org.postfach.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postfach.config.Settings;
import org.postfach.directory.Buyer;
import org.postfach.directory.Order;
import org.postfach.mail.Attachment;
import org.postfach.resolve.Route;

/** The standard chain as a whole: who is blocked, who is exempt, which events are recorded. */
class PolicyChainTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

    private static Policy policy(boolean optedOut, Settings.MisuseAction misuse) {
        Settings.Policy settings = new Settings.Policy(List.of("dhl.de"), List.of("[Wichtig]", "[Important]"),
                misuse, "DE", 5, 600);
        List<Order> orders = List.of(new Order("302-2222222-2222222", "s1", "b1", "wine", CLOCK.instant()));
        SendLog log = new SendLog() {
            public int sentOn(String seller, java.time.LocalDate day) {
                return 0;
            }

            public int ordersSince(String seller, Instant since) {
                return 0;
            }
        };
        return Policy.standard(settings, (buyer, seller) -> optedOut,
                (ids, buyer, seller) -> ids.contains("<fromthebuyer@marketplace.example>"),
                (seller, buyer) -> orders, new DailyLimit(log, 5, 600, CLOCK));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not opted out                 | false | Hallo                          | Text                    | CONTINUE |
            opted out                     | true  | Hallo                          | Text                    | BLOCK    | opt-out
            opted out, tag                | true  | [Wichtig] Lieferung            | Text                    | CONTINUE | exempt: important-tag
            opted out, wine order         | true  | Lieferung                      | 302-2222222-2222222     | CONTINUE | exempt: order-category
            opted out, thread reply       | true  | Re: Frage                      | Text                    | CONTINUE | exempt: buyer-thread
            """)
    void sellerMail(String name, boolean optedOut, String subject, String body, String verdict, String event) {
        String headers = "Subject: " + subject + (name.contains("thread")
                ? "\r\nIn-Reply-To: <fromthebuyer@marketplace.example>" : "");
        Policy.Outcome o = policy(optedOut, Settings.MisuseAction.FLAG)
                .content(Fixtures.candidate(Fixtures.sellerToBuyer(), Fixtures.facts(headers, body)));
        assertThat(o.verdict().getClass().getSimpleName().toUpperCase()).isEqualTo(verdict);
        if (event != null && !verdict.equals("BLOCK")) {
            assertThat(o.events()).extracting(PolicyEvent::detail).containsExactly(event);
        }
        if (verdict.equals("BLOCK")) {
            assertThat(o.verdict()).isEqualTo(new Verdict.Block("opt-out", OptOutRule.NOTICE));
        }
    }

    @Test
    void buyerAndCarrierMailIsNeverBlockedByAnOptOut() {
        Policy p = policy(true, Settings.MisuseAction.BLOCK);
        for (Route r : List.of(Fixtures.buyerToSeller(), Fixtures.carrier())) {
            assertThat(p.content(Fixtures.candidate(r, Fixtures.facts("Subject: Hallo", "x"))).verdict())
                    .isEqualTo(Verdict.CONTINUE);
        }
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', textBlock = """
            [Wichtig] Bitte bewerten Sie uns           | Danke!                                | review request
            [Wichtig] Lieferung                        | Über eine 5-Sterne-Bewertung freuen wir uns | review request
            [Important] Please leave a review          | Thanks                                | review request
            [Wichtig] Nur heute 20% Rabatt             | Unser Angebot                         | marketing
            [Wichtig] Lieferung                        | Ihr Gutschein für die nächste Bestellung | marketing
            [Important] New products                   | Shop now                              | marketing
            """)
    void importantTagMisuseIsFlaggedOrBlocked(String subject, String body, String kind) {
        var facts = Fixtures.facts("Subject: " + subject, body);
        Policy.Outcome flagged = policy(false, Settings.MisuseAction.FLAG)
                .content(Fixtures.candidate(Fixtures.sellerToBuyer(), facts));
        assertThat(flagged.verdict()).isEqualTo(Verdict.CONTINUE);
        assertThat(flagged.events()).singleElement().satisfies(e -> {
            assertThat(e.rule()).isEqualTo("important-misuse");
            assertThat(e.detail()).startsWith(kind);
        });
        assertThat(policy(false, Settings.MisuseAction.BLOCK)
                .content(Fixtures.candidate(Fixtures.sellerToBuyer(), facts)).verdict())
                .isEqualTo(new Verdict.Block("important-misuse", ImportantMisuseRule.NOTICE));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            [Wichtig] Ihre Lieferung verzögert sich | Die Sendung kommt am Freitag.
            [Wichtig] Rückfrage zur Gravur          | Welcher Text soll auf das Glas?
            Bitte bewerten Sie uns                  | untagged review requests are not this rule's business
            """)
    void honestImportantMailIsNotFlagged(String subject, String body) {
        var o = policy(false, Settings.MisuseAction.BLOCK)
                .content(Fixtures.candidate(Fixtures.sellerToBuyer(), Fixtures.facts("Subject: " + subject, body)));
        assertThat(o.verdict()).isEqualTo(Verdict.CONTINUE);
        assertThat(o.events()).isEmpty();
    }

    @Test
    void aForbiddenAttachmentRejectsBeforeAnyOtherRule() {
        var c = new Candidate(Fixtures.sellerToBuyer(), Fixtures.facts("Subject: Hallo", "x"),
                List.of(new Attachment("2", "rechnung.pdf", "application/pdf", "application/x-msdownload", 100)),
                List.of());
        Verdict v = policy(true, Settings.MisuseAction.FLAG).content(c).verdict();
        assertThat(v).isInstanceOf(Verdict.Reject.class);
        assertThat(((Verdict.Reject) v).reply().toString()).startsWith("550 5.7.1 Attachment not allowed: ")
                .contains("rechnung.pdf").contains("txt, pdf, doc, docx, jpg, jpeg, gif, tif, tiff, bmp and png");
    }

    @ParameterizedTest(name = "{0} orders in 30 days -> {1}")
    @CsvSource({"0, 600", "5, 600", "6, 601", "29, 604", "30, 605", "300, 650", "3000, 1100"})
    void dailyLimitIsFiveTimesTheAverageDailyOrdersPlus600(long orders, int limit) {
        assertThat(DailyLimit.compute(5, 600, orders)).isEqualTo(limit);
    }

    @Test
    void theLimitCountsSellerAndCarrierMailButNotBuyerMail() {
        Buyer b = Fixtures.BUYER;
        assertThat(DailyLimit.counts(Fixtures.sellerToBuyer())).isTrue();
        assertThat(DailyLimit.counts(Fixtures.carrier())).isTrue();
        assertThat(DailyLimit.counts(new Route.BuyerToSeller(b, Fixtures.SELLER))).isFalse();
    }
}
