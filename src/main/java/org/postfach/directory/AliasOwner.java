package org.postfach.directory;

/** Who an alias belongs to: a seller (buyer == null) or a buyer at one seller. */
public record AliasOwner(String alias, Seller seller, Buyer buyer) {
    public boolean isSellerAlias() {
        return buyer == null;
    }
}
