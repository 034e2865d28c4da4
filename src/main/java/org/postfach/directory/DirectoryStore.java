package org.postfach.directory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.postfach.mail.Address;

/**
 * The storage port of the directory. Inserts that break a uniqueness rule throw
 * {@link DirectoryException} of kind CONFLICT; the store never decides anything else.
 */
public interface DirectoryStore {
    void insertSeller(Seller seller, Instant now);

    Optional<Seller> seller(String id);

    void updateSeller(Seller seller);

    /** Authorizes an address for a seller; CONFLICT when any seller already has it. */
    void addSellerAddress(String sellerId, Address email, boolean primary, Instant now);

    /** Withdraws an address; false when the seller did not have it. */
    boolean removeSellerAddress(String sellerId, Address email);

    List<Address> sellerAddresses(String sellerId);

    /** The seller that may send from this address, if any. */
    Optional<Seller> sellerByAddress(Address email);

    Optional<Seller> sellerByAlias(String alias);

    void insertBuyer(Buyer buyer, Instant now);

    Optional<Buyer> buyer(String id);

    Optional<Buyer> buyerByEmail(Address email);

    void updateBuyer(Buyer buyer);

    Optional<String> buyerAlias(String sellerId, String buyerId);

    /** CONFLICT when the pair already has an alias or the alias is taken. */
    void insertBuyerAlias(String alias, String sellerId, String buyerId, Instant now);

    Optional<AliasOwner> buyerAliasOwner(String alias);

    /** Sets ({@code at}) or clears (null) the buyer's opt-out of this seller; false when the pair has no alias. */
    boolean setOptOut(String sellerId, String buyerId, Instant at);

    boolean optedOut(String sellerId, String buyerId);

    /** The sellers this buyer opted out of, by id. */
    List<String> optedOutSellers(String buyerId);

    void insertOrder(Order order, Instant now);

    Optional<Order> order(String id);

    List<Order> orders(String sellerId, String buyerId);

    /** Replaces the seller's SMTP AUTH credential with this hash. */
    void saveCredential(String sellerId, String hash, Instant now);

    Optional<String> credential(String sellerId);
}
