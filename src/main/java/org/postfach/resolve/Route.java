package org.postfach.resolve;

import org.postfach.directory.Buyer;
import org.postfach.directory.Seller;

/** Where a message goes and on whose behalf (SPEC §3). Resolved at RCPT, before any policy rule runs. */
public sealed interface Route {
    /** Stable kebab-case name, used in the archive, logs and metrics. */
    String name();

    /** The seller on whose side the message is; null only for {@link BounceReturn}. */
    Seller seller();

    /**
     * SPEC §3.1: a seller writes to one of its buyers' aliases; {@code optedOut}: the buyer opted out of this seller
     * (SPEC §10; the opt-out of all sellers is the buyer's own).
     */
    record SellerToBuyer(Seller seller, Buyer buyer, String buyerAlias, boolean optedOut) implements Route {
        public SellerToBuyer(Seller seller, Buyer buyer, String buyerAlias) {
            this(seller, buyer, buyerAlias, false);
        }

        public String name() {
            return "seller-to-buyer";
        }
    }

    /** SPEC §3.2: a registered buyer writes to a seller alias; the pair's alias may not exist yet. */
    record BuyerToSeller(Buyer buyer, Seller seller) implements Route {
        public String name() {
            return "buyer-to-seller";
        }
    }

    /**
     * SPEC §3.4: a report (a DSN, an auto-reply) to the signed bounce address of the message with relay ID
     * {@code <token@domain>}. It belongs to no seller until the message is looked up.
     */
    record BounceReturn(String token) implements Route {
        public String name() {
            return "bounce";
        }

        public Seller seller() {
            return null;
        }
    }

    /** SPEC §3.3: a carrier writes to a buyer alias, on behalf of the seller that owns the alias. */
    record CarrierToBuyer(String carrierDomain, Seller seller, Buyer buyer, String buyerAlias) implements Route {
        public String name() {
            return "carrier-to-buyer";
        }
    }
}
