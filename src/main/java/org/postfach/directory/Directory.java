package org.postfach.directory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.postfach.mail.Address;

/** Registration and look-up of sellers, buyers, orders and their aliases (SPEC §2, §9). */
public final class Directory {
    private static final int ALIAS_ATTEMPTS = 5;
    private static final Set<String> SYSTEM_LOCAL_PARTS = Set.of("postmaster", "no-reply", "abuse");

    private final DirectoryStore store;
    private final AliasGenerator aliases;
    private final String domain;
    private final Clock clock;

    public Directory(DirectoryStore store, AliasGenerator aliases, String domain, Clock clock) {
        this.store = store;
        this.aliases = aliases;
        this.domain = domain;
        this.clock = clock;
    }

    public Seller registerSeller(String id, String name, Address email, Address customerService) {
        String sellerId = id == null ? "s-" + aliases.token(12) : id;
        refuseAliasDomain(email, "email");
        refuseAliasDomain(customerService, "customerServiceEmail");
        if (store.seller(sellerId).isPresent()) {
            throw DirectoryException.conflict("seller " + sellerId + " already exists");
        }
        if (store.sellerByAddress(email).isPresent() || store.buyerByEmail(email).isPresent()) {
            throw DirectoryException.conflict("email is already registered");
        }
        Instant now = clock.instant();
        for (int attempt = 1; ; attempt++) {
            Seller seller = new Seller(sellerId, name, email, customerService, aliases.next(), true, false);
            try {
                store.insertSeller(seller, now);
                return seller;
            } catch (DirectoryException e) {
                // A race on the id or the address is a real conflict; an alias collision is retried.
                if (attempt >= ALIAS_ATTEMPTS || store.seller(sellerId).isPresent()
                        || store.sellerByAddress(email).isPresent()) {
                    throw e;
                }
            }
        }
    }

    public Seller seller(String id) {
        return store.seller(id).orElseThrow(() -> DirectoryException.notFound("seller " + id));
    }

    public List<Address> sellerAddresses(String sellerId) {
        seller(sellerId);
        return store.sellerAddresses(sellerId);
    }

    public Seller updateSeller(String id, String name, Address customerService, Boolean bounceNotices, Boolean disabled) {
        Seller s = seller(id);
        if (customerService != null) {
            refuseAliasDomain(customerService, "customerServiceEmail");
        }
        Seller updated = new Seller(s.id(), name == null ? s.name() : name, s.email(),
                customerService == null ? s.customerServiceEmail() : customerService, s.alias(),
                bounceNotices == null ? s.bounceNotices() : bounceNotices, disabled == null ? s.disabled() : disabled);
        store.updateSeller(updated);
        return updated;
    }

    public void authorizeAddress(String sellerId, Address email) {
        seller(sellerId);
        refuseAliasDomain(email, "email");
        Optional<Seller> owner = store.sellerByAddress(email);
        if (owner.isPresent()) {
            if (owner.get().id().equals(sellerId)) {
                return; // idempotent
            }
            throw DirectoryException.conflict("email is authorized for another seller");
        }
        if (store.buyerByEmail(email).isPresent()) {
            throw DirectoryException.conflict("email is registered to a buyer");
        }
        store.addSellerAddress(sellerId, email, false, clock.instant());
    }

    public void withdrawAddress(String sellerId, Address email) {
        Seller s = seller(sellerId);
        if (s.email().equals(email)) {
            throw DirectoryException.conflict("the seller's registered address cannot be withdrawn");
        }
        if (!store.removeSellerAddress(sellerId, email)) {
            throw DirectoryException.notFound("address");
        }
    }

    public Buyer registerBuyer(String id, String name, Address email) {
        String buyerId = id == null ? "b-" + aliases.token(12) : id;
        refuseAliasDomain(email, "email");
        if (store.buyer(buyerId).isPresent()) {
            throw DirectoryException.conflict("buyer " + buyerId + " already exists");
        }
        if (store.buyerByEmail(email).isPresent() || store.sellerByAddress(email).isPresent()) {
            throw DirectoryException.conflict("email is already registered");
        }
        Buyer buyer = new Buyer(buyerId, name, email, false);
        store.insertBuyer(buyer, clock.instant());
        return buyer;
    }

    public Buyer buyer(String id) {
        return store.buyer(id).orElseThrow(() -> DirectoryException.notFound("buyer " + id));
    }

    public Buyer setOptedOut(String buyerId, boolean optedOut) {
        Buyer b = buyer(buyerId);
        Buyer updated = new Buyer(b.id(), b.name(), b.email(), optedOut);
        store.updateBuyer(updated);
        return updated;
    }

    /**
     * SPEC §10: the buyer's opt-out of one seller's non-essential mail (the one-click link), or its undoing. It is
     * kept on the pair's alias, made now if the pair has none.
     */
    public void setOptedOut(String buyerId, String sellerId, boolean optedOut) {
        seller(sellerId);
        buyer(buyerId);
        buyerAlias(sellerId, buyerId);
        store.setOptOut(sellerId, buyerId, optedOut ? clock.instant() : null);
    }

    /** True when the buyer opted out of this seller (not: of all sellers, {@link Buyer#optedOut()}). */
    public boolean optedOut(String buyerId, String sellerId) {
        return store.optedOut(sellerId, buyerId);
    }

    /** The sellers whose non-essential mail this buyer opted out of in one click, by id. */
    public List<String> optedOutSellers(String buyerId) {
        return store.optedOutSellers(buyerId);
    }

    /** Registers an order and answers the pair's buyer alias (created now if the pair has none). */
    public String registerOrder(String id, String sellerId, String buyerId, String category, Instant placedAt) {
        seller(sellerId);
        buyer(buyerId);
        if (store.order(id).isPresent()) {
            throw DirectoryException.conflict("order " + id + " already exists");
        }
        String cat = category == null ? null : category.trim().toLowerCase(Locale.ROOT);
        store.insertOrder(new Order(id, sellerId, buyerId, cat, placedAt == null ? clock.instant() : placedAt),
                clock.instant());
        return buyerAlias(sellerId, buyerId);
    }

    /**
     * SPEC §9: new SMTP AUTH credentials for the submission port. The password is returned once; only its
     * salted slow hash is stored, and earlier credentials stop working.
     */
    public String issueCredentials(String sellerId) {
        seller(sellerId); // 404 for an unknown seller
        String password = aliases.token(24);
        store.saveCredential(sellerId, Passwords.hash(password), clock.instant());
        return password;
    }

    /** SPEC §7: the submission port's login; the user name is any of the seller's addresses. */
    public Optional<String> login(String username, String password) {
        return Address.parse(username).flatMap(store::sellerByAddress).filter(s -> !s.disabled())
                .filter(s -> checkPassword(s.id(), password)).map(Seller::id);
    }

    /** True when {@code password} is the seller's current SMTP AUTH password. */
    public boolean checkPassword(String sellerId, String password) {
        return store.credential(sellerId).map(h -> Passwords.matches(password, h)).orElse(false);
    }

    /** An order by its number. */
    public Optional<Order> order(String id) {
        return store.order(id);
    }

    public List<Order> orders(String sellerId, String buyerId) {
        return store.orders(sellerId, buyerId);
    }

    /** The one alias of this buyer at this seller; created on first use, safe against concurrent creation. */
    public String buyerAlias(String sellerId, String buyerId) {
        Optional<String> existing = store.buyerAlias(sellerId, buyerId);
        if (existing.isPresent()) {
            return existing.get();
        }
        for (int attempt = 1; attempt <= ALIAS_ATTEMPTS; attempt++) {
            try {
                String alias = aliases.next();
                store.insertBuyerAlias(alias, sellerId, buyerId, clock.instant());
                return alias;
            } catch (DirectoryException e) {
                Optional<String> raced = store.buyerAlias(sellerId, buyerId);
                if (raced.isPresent()) {
                    return raced.get();
                }
            }
        }
        throw new IllegalStateException("could not create an alias after " + ALIAS_ATTEMPTS + " attempts");
    }

    /** Who an alias belongs to; empty for unknown aliases, and for those of disabled sellers. */
    public Optional<AliasOwner> owner(String alias) {
        String a = alias.toLowerCase(Locale.ROOT);
        Optional<AliasOwner> owner = store.sellerByAlias(a).map(s -> new AliasOwner(s.alias(), s, null, false));
        if (owner.isEmpty()) {
            owner = store.buyerAliasOwner(a);
        }
        return owner.filter(o -> !o.seller().disabled());
    }

    public Optional<Seller> sellerByAddress(Address address) {
        return store.sellerByAddress(address);
    }

    public Optional<Buyer> buyerByEmail(Address address) {
        return store.buyerByEmail(address);
    }

    public boolean isSystemAddress(Address address) {
        return address.inDomain(domain) && SYSTEM_LOCAL_PARTS.contains(address.local());
    }

    private void refuseAliasDomain(Address address, String field) {
        if (address.inDomain(domain)) {
            throw DirectoryException.invalid(field + ": an address on the alias domain cannot be registered");
        }
    }
}
