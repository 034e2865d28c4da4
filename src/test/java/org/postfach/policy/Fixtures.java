package org.postfach.policy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.postfach.directory.Buyer;
import org.postfach.directory.Seller;
import org.postfach.mail.Address;
import org.postfach.mail.MessageFacts;
import org.postfach.resolve.Route;

/** Small builders for rule tests: a seller, a buyer, their routes, and facts parsed from header lines. */
final class Fixtures {
    static final Seller SELLER = new Seller("s1", "Shop", Address.of("owner@shop.example"),
            Address.of("service@shop.example"), "sellerslias0001@marketplace.example", true, false);
    static final Seller OTHER_SELLER = new Seller("s2", "Other", Address.of("owner@other.example"),
            Address.of("service@other.example"), "sellerslias0002@marketplace.example", true, false);
    static final Buyer BUYER = new Buyer("b1", "Erika", Address.of("erika@buyer.example"), true);
    static final Buyer OTHER_BUYER = new Buyer("b2", "Max", Address.of("max@buyer.example"), true);

    private Fixtures() {
    }

    static Route sellerToBuyer() {
        return new Route.SellerToBuyer(SELLER, BUYER, "buyeralias00001@marketplace.example");
    }

    static Route buyerToSeller() {
        return new Route.BuyerToSeller(BUYER, SELLER);
    }

    static Route carrier() {
        return new Route.CarrierToBuyer("dhl.de", SELLER, BUYER, "buyeralias00001@marketplace.example");
    }

    /** Facts parsed from a real message: the given header lines, then the body. */
    static MessageFacts facts(String headers, String body) {
        String raw = "From: owner@shop.example\r\n" + headers + (headers.endsWith("\r\n") || headers.isEmpty() ? "" : "\r\n")
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + body + "\r\n";
        try {
            return MessageFacts.parse(raw.getBytes(StandardCharsets.ISO_8859_1));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static MessageFacts subject(String rawSubject) {
        return facts("Subject: " + rawSubject, "Hallo");
    }

    static Candidate candidate(Route route, MessageFacts facts) {
        return new Candidate(route, facts, List.of(), List.of());
    }

    static Optional<Address> none() {
        return Optional.empty();
    }
}
