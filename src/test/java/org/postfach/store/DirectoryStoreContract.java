package org.postfach.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postfach.testing.Race.race;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postfach.directory.AliasGenerator;
import org.postfach.directory.Buyer;
import org.postfach.directory.Directory;
import org.postfach.directory.DirectoryException;
import org.postfach.directory.Order;
import org.postfach.directory.Seller;
import org.postfach.mail.Address;

/** The directory port (SPEC §2): uniqueness as CONFLICT, one alias per pair even under concurrent creation. */
abstract class DirectoryStoreContract extends StoreContract {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    JdbcDirectoryStore store;
    Directory directory;

    @BeforeEach
    void stores() {
        store = new JdbcDirectoryStore(db.jdbc());
        directory = new Directory(store, new AliasGenerator("marketplace.example", 32), "marketplace.example",
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static Seller seller(String id, String email, String alias) {
        return new Seller(id, "Shop " + id, Address.of(email), Address.of("service@" + id + ".example"), alias, true,
                false);
    }

    @Test
    void theMigrationsRunOnAnEmptyDatabase() {
        long files = 0; // the SQL migrations, and those in Java (a question only JDBC's metadata answers alike)
        for (String dir : java.util.List.of("src/main/resources/db/migration", "src/main/java/org/postfach/store/migration")) {
            try (var list = java.nio.file.Files.list(java.nio.file.Path.of(dir))) {
                files += list.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.(sql|java)")).count();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        assertThat(migrations).as("every migration file ran").isEqualTo((int) files).isGreaterThanOrEqualTo(3);
        assertThat(db.migrate()).isZero();
    }

    @Test
    void sellersBuyersOrdersAndAliasesRoundTrip() {
        store.insertSeller(seller("s1", "a@shop.example", "x1@marketplace.example"), NOW);
        store.insertBuyer(new Buyer("b1", "Erika", Address.of("erika@buyer.example"), false), NOW);
        store.insertBuyerAlias("y1@marketplace.example", "s1", "b1", NOW);
        store.insertOrder(new Order("o1", "s1", "b1", "wine", NOW.minusSeconds(60)), NOW);

        assertThat(store.seller("s1")).get().extracting(Seller::alias).isEqualTo("x1@marketplace.example");
        assertThat(store.sellerByAddress(Address.of("a@shop.example"))).get().extracting(Seller::id).isEqualTo("s1");
        assertThat(store.sellerByAlias("x1@marketplace.example")).isPresent();
        assertThat(store.buyerByEmail(Address.of("erika@buyer.example"))).get().extracting(Buyer::id).isEqualTo("b1");
        assertThat(store.buyerAlias("s1", "b1")).contains("y1@marketplace.example");
        assertThat(store.buyerAliasOwner("y1@marketplace.example")).get()
                .satisfies(o -> assertThat(o.buyer().id()).isEqualTo("b1"));
        assertThat(store.orders("s1", "b1")).singleElement()
                .satisfies(o -> assertThat(o.placedAt()).isEqualTo(NOW.minusSeconds(60)))
                .satisfies(o -> assertThat(o.category()).isEqualTo("wine"));

        store.updateBuyer(new Buyer("b1", "Erika M", Address.of("erika@buyer.example"), true));
        assertThat(store.buyer("b1")).get().extracting(Buyer::optedOut).isEqualTo(true);
        store.addSellerAddress("s1", Address.of("b@shop.example"), false, NOW);
        assertThat(store.sellerAddresses("s1")).extracting(Address::toString)
                .containsExactly("a@shop.example", "b@shop.example");
        assertThat(store.removeSellerAddress("s1", Address.of("a@shop.example"))).isFalse(); // the primary stays
        assertThat(store.removeSellerAddress("s1", Address.of("b@shop.example"))).isTrue();
    }

    @Test
    void aBuyersOptOutOfOneSellerIsKeptOnThePairsAliasAndReadWithIt() {
        store.insertSeller(seller("s1", "a@shop.example", "x1@marketplace.example"), NOW);
        store.insertSeller(seller("s2", "a@other.example", "x2@marketplace.example"), NOW);
        store.insertBuyer(new Buyer("b1", "Erika", Address.of("erika@buyer.example"), false), NOW);
        store.insertBuyer(new Buyer("b2", "Max", Address.of("max@buyer.example"), false), NOW);
        store.insertBuyerAlias("y1@marketplace.example", "s1", "b1", NOW);
        store.insertBuyerAlias("y2@marketplace.example", "s2", "b1", NOW);
        store.insertBuyerAlias("y3@marketplace.example", "s1", "b2", NOW);
        assertThat(store.buyerAliasOwner("y1@marketplace.example")).get().extracting(o -> o.optedOut()).isEqualTo(false);

        assertThat(store.setOptOut("s1", "b1", NOW)).isTrue();
        assertThat(store.optedOut("s1", "b1")).isTrue();
        assertThat(store.optedOut("s2", "b1")).isFalse();
        assertThat(store.optedOut("s1", "b2")).isFalse();
        assertThat(store.buyerAliasOwner("y1@marketplace.example")).get().extracting(o -> o.optedOut()).isEqualTo(true);
        assertThat(store.buyerAliasOwner("y2@marketplace.example")).get().extracting(o -> o.optedOut()).isEqualTo(false);
        assertThat(store.setOptOut("s2", "b1", NOW)).isTrue();
        assertThat(store.optedOutSellers("b1")).containsExactly("s1", "s2");
        assertThat(store.optedOutSellers("b2")).isEmpty();

        assertThat(store.setOptOut("s1", "b1", null)).isTrue(); // undone
        assertThat(store.optedOutSellers("b1")).containsExactly("s2");
        assertThat(store.setOptOut("s2", "b2", NOW)).as("a pair without an alias").isFalse();

        // through the directory, a pair without an alias gets one, and unknown parties are NOT_FOUND
        directory.setOptedOut("b2", "s2", true);
        assertThat(store.buyerAlias("s2", "b2")).isPresent();
        assertThat(directory.optedOut("b2", "s2")).isTrue();
        assertThatThrownBy(() -> directory.setOptedOut("nobody", "s1", true)).isInstanceOf(DirectoryException.class);
        assertThat(directory.owner("y2@marketplace.example")).get().extracting(o -> o.optedOut()).isEqualTo(true);
        assertThat(directory.owner("x1@marketplace.example")).get().extracting(o -> o.optedOut()).isEqualTo(false);
    }

    @Test
    void brokenUniquenessIsAConflictAndLeavesNothingHalfDone() {
        store.insertSeller(seller("s1", "a@shop.example", "x1@marketplace.example"), NOW);
        assertConflict(() -> store.insertSeller(seller("s1", "other@shop.example", "x2@marketplace.example"), NOW));
        // the seller row would fit, its address does not: neither is stored
        assertConflict(() -> store.insertSeller(seller("s2", "a@shop.example", "x3@marketplace.example"), NOW));
        assertThat(store.seller("s2")).isEmpty();
        assertConflict(() -> store.insertSeller(seller("s3", "c@shop.example", "x1@marketplace.example"), NOW));
        store.insertBuyer(new Buyer("b1", "Erika", Address.of("erika@buyer.example"), false), NOW);
        assertConflict(() -> store.insertBuyer(new Buyer("b2", "E", Address.of("erika@buyer.example"), false), NOW));
        store.insertBuyerAlias("y1@marketplace.example", "s1", "b1", NOW);
        assertConflict(() -> store.insertBuyerAlias("y2@marketplace.example", "s1", "b1", NOW));
        store.insertOrder(new Order("o1", "s1", "b1", null, NOW), NOW);
        assertConflict(() -> store.insertOrder(new Order("o1", "s1", "b1", null, NOW), NOW));
        // after all these failures the connections are still good
        assertThat(store.orders("s1", "b1")).hasSize(1);
    }

    static void assertConflict(Runnable r) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(DirectoryException.class,
                e -> assertThat(e.kind()).isEqualTo(DirectoryException.Kind.CONFLICT));
    }

    @Test
    void concurrentRegistrationsOfOneAddressLeaveExactlyOneSeller() throws Exception {
        AtomicInteger conflicts = new AtomicInteger();
        List<String> winners = race(12, i -> {
            try {
                return directory.registerSeller("s" + i, "Shop", Address.of("same@shop.example"),
                        Address.of("service@shop.example")).id();
            } catch (DirectoryException e) {
                assertThat(e.kind()).isEqualTo(DirectoryException.Kind.CONFLICT);
                conflicts.incrementAndGet();
                return null;
            }
        });
        assertThat(winners).hasSize(1);
        assertThat(conflicts.get()).isEqualTo(11);
        assertThat(store.sellerByAddress(Address.of("same@shop.example"))).get().extracting(Seller::id)
                .isEqualTo(winners.get(0));
    }

    @Test
    void concurrentFirstUsesOfAPairAgreeOnOneAlias() throws Exception {
        directory.registerSeller("s1", "Shop", Address.of("a@shop.example"), Address.of("service@shop.example"));
        directory.registerBuyer("b1", "Erika", Address.of("erika@buyer.example"));
        List<String> aliases = race(12, i -> directory.buyerAlias("s1", "b1"));
        assertThat(Set.copyOf(aliases)).hasSize(1);
        assertThat(store.buyerAlias("s1", "b1")).contains(aliases.get(0));
    }

    @Test
    void concurrentOrdersOfOnePairAllGetTheSameAlias() throws Exception {
        directory.registerSeller("s1", "Shop", Address.of("a@shop.example"), Address.of("service@shop.example"));
        directory.registerBuyer("b1", "Erika", Address.of("erika@buyer.example"));
        List<String> aliases = race(10, i -> directory.registerOrder("o" + i, "s1", "b1", null, null));
        assertThat(Set.copyOf(aliases)).hasSize(1);
        assertThat(store.orders("s1", "b1")).hasSize(10);
    }

    @Test
    void aConsoleLinkSignsInOnceEvenWhenManyTryAtOnceAndSessionsEnd() throws Exception {
        directory.registerSeller("s1", "Shop", Address.of("a@shop.example"), Address.of("service@shop.example"));
        java.time.Instant later = NOW.plusSeconds(600);
        JdbcConsoleStore console = new JdbcConsoleStore(db.jdbc());
        console.insertLink("h1", "s1", later);
        assertThat(console.linkSeller("h1", NOW)).contains("s1");
        assertThat(console.linkSeller("h1", later)).as("expired").isEmpty();
        assertThat(console.useLink("h1", later)).as("expired").isFalse();
        List<String> winners = race(12, i -> console.useLink("h1", NOW) ? "won" : null);
        assertThat(winners).hasSize(1);
        assertThat(console.linkSeller("h1", NOW)).as("used").isEmpty();

        console.insertSession("sid", "s1", "token", NOW, later);
        assertThat(console.session("sid", NOW)).get().satisfies(s -> assertThat(s).containsExactly("s1", "token"));
        assertThat(console.session("sid", later)).as("expired").isEmpty();
        console.deleteSession("sid");
        assertThat(console.session("sid", NOW)).isEmpty();
    }
}
