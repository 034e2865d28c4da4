package org.postfach.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.postfach.directory.AliasOwner;
import org.postfach.directory.Buyer;
import org.postfach.directory.DirectoryException;
import org.postfach.directory.DirectoryStore;
import org.postfach.directory.Order;
import org.postfach.directory.Seller;
import org.postfach.mail.Address;

/** The directory tables over JDBC. */
public final class JdbcDirectoryStore implements DirectoryStore {
    private static final String SELLER_COLUMNS =
            "s.id, s.name, s.email, s.customer_service_email, s.alias, s.bounce_notices, s.disabled";
    private final Jdbc jdbc;

    public JdbcDirectoryStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    private static Seller seller(ResultSet rs) throws SQLException {
        return new Seller(rs.getString("id"), rs.getString("name"), Address.of(rs.getString("email")),
                Address.of(rs.getString("customer_service_email")), rs.getString("alias"),
                rs.getBoolean("bounce_notices"), rs.getBoolean("disabled"));
    }

    private static Buyer buyer(ResultSet rs) throws SQLException {
        return new Buyer(rs.getString("id"), rs.getString("name"), Address.of(rs.getString("email")),
                rs.getBoolean("opted_out"));
    }

    private static Order order(ResultSet rs) throws SQLException {
        return new Order(rs.getString("id"), rs.getString("seller_id"), rs.getString("buyer_id"),
                rs.getString("category"), Jdbc.instant(rs, "placed_at"));
    }

    /** Runs an insert; a broken uniqueness rule becomes a CONFLICT. */
    private void insertOrConflict(String what, Runnable insert) {
        try {
            insert.run();
        } catch (StoreException e) {
            if (e.isIntegrityViolation()) {
                throw DirectoryException.conflict(what + " already exists");
            }
            throw e;
        }
    }

    @Override
    public void insertSeller(Seller s, Instant now) {
        insertOrConflict("seller", () -> jdbc.inTransaction(() -> {
            jdbc.update("INSERT INTO sellers (id, name, email, customer_service_email, alias, bounce_notices, disabled,"
                            + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", s.id(), s.name(), s.email().toString(),
                    s.customerServiceEmail().toString(), s.alias(), s.bounceNotices(), s.disabled(), now);
            jdbc.update("INSERT INTO seller_addresses (email, seller_id, is_primary, created_at) VALUES (?, ?, ?, ?)",
                    s.email().toString(), s.id(), true, now);
            return null;
        }));
    }

    @Override
    public Optional<Seller> seller(String id) {
        return jdbc.one("SELECT " + SELLER_COLUMNS + " FROM sellers s WHERE s.id = ?", JdbcDirectoryStore::seller, id);
    }

    @Override
    public void updateSeller(Seller s) {
        jdbc.update("UPDATE sellers SET name = ?, customer_service_email = ?, bounce_notices = ?, disabled = ?"
                        + " WHERE id = ?", s.name(), s.customerServiceEmail().toString(), s.bounceNotices(),
                s.disabled(), s.id());
    }

    @Override
    public void addSellerAddress(String sellerId, Address email, boolean primary, Instant now) {
        insertOrConflict("address", () -> jdbc.update(
                "INSERT INTO seller_addresses (email, seller_id, is_primary, created_at) VALUES (?, ?, ?, ?)",
                email.toString(), sellerId, primary, now));
    }

    @Override
    public boolean removeSellerAddress(String sellerId, Address email) {
        return jdbc.update("DELETE FROM seller_addresses WHERE email = ? AND seller_id = ? AND is_primary = FALSE",
                email.toString(), sellerId) == 1;
    }

    @Override
    public List<Address> sellerAddresses(String sellerId) {
        return jdbc.list("SELECT email FROM seller_addresses WHERE seller_id = ? ORDER BY is_primary DESC, email",
                rs -> Address.of(rs.getString(1)), sellerId);
    }

    @Override
    public Optional<Seller> sellerByAddress(Address email) {
        return jdbc.one("SELECT " + SELLER_COLUMNS + " FROM sellers s JOIN seller_addresses a ON a.seller_id = s.id"
                + " WHERE a.email = ?", JdbcDirectoryStore::seller, email.toString());
    }

    @Override
    public Optional<Seller> sellerByAlias(String alias) {
        return jdbc.one("SELECT " + SELLER_COLUMNS + " FROM sellers s WHERE s.alias = ?", JdbcDirectoryStore::seller,
                alias);
    }

    @Override
    public void insertBuyer(Buyer b, Instant now) {
        insertOrConflict("buyer", () -> jdbc.update(
                "INSERT INTO buyers (id, name, email, opted_out, created_at) VALUES (?, ?, ?, ?, ?)",
                b.id(), b.name(), b.email().toString(), b.optedOut(), now));
    }

    @Override
    public Optional<Buyer> buyer(String id) {
        return jdbc.one("SELECT id, name, email, opted_out FROM buyers WHERE id = ?", JdbcDirectoryStore::buyer, id);
    }

    @Override
    public Optional<Buyer> buyerByEmail(Address email) {
        return jdbc.one("SELECT id, name, email, opted_out FROM buyers WHERE email = ?", JdbcDirectoryStore::buyer,
                email.toString());
    }

    @Override
    public void updateBuyer(Buyer b) {
        jdbc.update("UPDATE buyers SET name = ?, opted_out = ? WHERE id = ?", b.name(), b.optedOut(), b.id());
    }

    @Override
    public Optional<String> buyerAlias(String sellerId, String buyerId) {
        return jdbc.one("SELECT alias FROM buyer_aliases WHERE seller_id = ? AND buyer_id = ?",
                rs -> rs.getString(1), sellerId, buyerId);
    }

    @Override
    public void insertBuyerAlias(String alias, String sellerId, String buyerId, Instant now) {
        insertOrConflict("alias", () -> jdbc.update(
                "INSERT INTO buyer_aliases (alias, seller_id, buyer_id, created_at) VALUES (?, ?, ?, ?)",
                alias, sellerId, buyerId, now));
    }

    @Override
    public Optional<AliasOwner> buyerAliasOwner(String alias) {
        return jdbc.one("SELECT a.alias, a.seller_id, a.buyer_id, a.opted_out_at FROM buyer_aliases a WHERE a.alias = ?",
                rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4) != null}, alias)
                .flatMap(r -> seller((String) r[1]).flatMap(s -> buyer((String) r[2])
                        .map(b -> new AliasOwner((String) r[0], s, b, (Boolean) r[3]))));
    }

    @Override
    public boolean setOptOut(String sellerId, String buyerId, Instant at) {
        return jdbc.update("UPDATE buyer_aliases SET opted_out_at = ? WHERE seller_id = ? AND buyer_id = ?",
                at, sellerId, buyerId) == 1;
    }

    @Override
    public boolean optedOut(String sellerId, String buyerId) {
        return jdbc.one("SELECT opted_out_at FROM buyer_aliases WHERE seller_id = ? AND buyer_id = ?",
                rs -> rs.getObject(1) != null, sellerId, buyerId).orElse(false);
    }

    @Override
    public List<String> optedOutSellers(String buyerId) {
        return jdbc.list("SELECT seller_id FROM buyer_aliases WHERE buyer_id = ? AND opted_out_at IS NOT NULL"
                + " ORDER BY seller_id", rs -> rs.getString(1), buyerId);
    }

    @Override
    public void insertOrder(Order o, Instant now) {
        insertOrConflict("order", () -> jdbc.update(
                "INSERT INTO orders (id, seller_id, buyer_id, category, placed_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                o.id(), o.sellerId(), o.buyerId(), o.category(), o.placedAt(), now));
    }

    @Override
    public Optional<Order> order(String id) {
        return jdbc.one("SELECT id, seller_id, buyer_id, category, placed_at FROM orders WHERE id = ?",
                JdbcDirectoryStore::order, id);
    }

    @Override
    public List<Order> orders(String sellerId, String buyerId) {
        return jdbc.list("SELECT id, seller_id, buyer_id, category, placed_at FROM orders"
                + " WHERE seller_id = ? AND buyer_id = ? ORDER BY placed_at, id", JdbcDirectoryStore::order,
                sellerId, buyerId);
    }

    @Override
    public void saveCredential(String sellerId, String hash, Instant now) {
        jdbc.inTransaction(() -> {
            jdbc.update("DELETE FROM seller_credentials WHERE seller_id = ?", sellerId);
            return jdbc.update("INSERT INTO seller_credentials (seller_id, hash, created_at) VALUES (?, ?, ?)",
                    sellerId, hash, now);
        });
    }

    @Override
    public Optional<String> credential(String sellerId) {
        return jdbc.one("SELECT hash FROM seller_credentials WHERE seller_id = ?", rs -> rs.getString(1), sellerId);
    }
}
