package org.postfach.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postfach.mail.Address;
import org.postfach.store.Database;
import org.postfach.store.JdbcDirectoryStore;

/** SPEC §2 aliases, on an in-memory H2 (no files, no sockets). */
class DirectoryTest {
    Database db;
    Directory directory;

    @BeforeEach
    void open() {
        db = Database.open("jdbc:h2:mem:" + UUID.randomUUID(), 4);
        db.migrate();
        directory = new Directory(new JdbcDirectoryStore(db.jdbc()),
                new AliasGenerator("marketplace.example", 35), "marketplace.example", Clock.systemUTC());
        directory.registerSeller("s1", "Shop 1", Address.of("one@shop1.example"), Address.of("cs@shop1.example"));
        directory.registerSeller("s2", "Shop 2", Address.of("two@shop2.example"), Address.of("cs@shop2.example"));
        directory.registerBuyer("b1", "Buyer", Address.of("buyer@buyer.example"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aBuyerKeepsOneAliasPerSellerAcrossOrders() {
        String first = directory.registerOrder("o1", "s1", "b1", null, null);
        String second = directory.registerOrder("o2", "s1", "b1", "wine", null);
        String otherSeller = directory.registerOrder("o3", "s2", "b1", null, null);
        assertThat(second).isEqualTo(first);
        assertThat(otherSeller).isNotEqualTo(first);
        assertThat(directory.buyerAlias("s1", "b1")).isEqualTo(first);
    }

    @Test
    void everyAliasHasTheConfiguredLengthAndAlphabet() {
        AliasGenerator g = new AliasGenerator("marketplace.example", 35);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String a = g.next();
            assertThat(a).hasSize(35).matches("[a-z0-9]{15}@marketplace\\.example");
            seen.add(a);
        }
        assertThat(seen).hasSize(2000);
        assertThat(new AliasGenerator("m.example", 60).next()).hasSize(60);
        assertThat(directory.seller("s1").alias()).hasSize(35);
        assertThat(directory.registerOrder("o9", "s2", "b1", null, null)).hasSize(35);
    }

    @Test
    void aTooShortLocalPartIsRefused() {
        assertThatThrownBy(() -> new AliasGenerator("marketplace.example", 31))
                .hasMessageContaining("at least 12");
    }

    @Test
    void aliasesMatchCaseInsensitively() {
        String alias = directory.registerOrder("o1", "s1", "b1", null, null);
        assertThat(directory.owner(alias.toUpperCase())).get().extracting(o -> o.buyer().id()).isEqualTo("b1");
        assertThat(directory.owner(directory.seller("s2").alias().toUpperCase())).get()
                .extracting(AliasOwner::isSellerAlias).isEqualTo(true);
        assertThat(directory.owner("nobody1234567890@marketplace.example")).isEmpty();
    }

    @Test
    void addressesAreUniqueAcrossSellersAndBuyers() {
        assertThatThrownBy(() -> directory.authorizeAddress("s2", Address.of("ONE@shop1.example")))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("another seller");
        assertThatThrownBy(() -> directory.registerBuyer("b2", "X", Address.of("one@shop1.example")))
                .isInstanceOf(DirectoryException.class);
        assertThatThrownBy(() -> directory.registerSeller("s3", "X", Address.of("buyer@buyer.example"),
                Address.of("cs@x.example"))).isInstanceOf(DirectoryException.class);
        assertThatThrownBy(() -> directory.registerBuyer("b3", "X", Address.of("x@marketplace.example")))
                .isInstanceOf(DirectoryException.class).hasMessageContaining("alias domain");
    }
}
