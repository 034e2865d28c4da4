package org.postfach.directory;

/**
 * Who an alias belongs to: a seller (buyer == null) or a buyer at one seller; {@code optedOut}: that buyer opted out
 * of this seller's non-essential mail (SPEC §10, one click), kept on the pair's alias.
 */
public record AliasOwner(String alias, Seller seller, Buyer buyer, boolean optedOut) {
    public boolean isSellerAlias() {
        return buyer == null;
    }
}
