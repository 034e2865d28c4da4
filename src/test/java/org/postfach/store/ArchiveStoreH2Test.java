package org.postfach.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link ArchiveStoreContract} on an in-memory H2, and the plans of the purge's and the archive view's look-ups. */
class ArchiveStoreH2Test extends ArchiveStoreContract {
    @Override
    String freshUrl() {
        return h2();
    }

    String plan(String sql, Object... params) {
        return db.jdbc().one("EXPLAIN " + sql, rs -> rs.getString(1), params).orElseThrow();
    }

    /**
     * The hourly purge finds the messages due through an index, not by reading every archive row (it read the
     * whole table four times an hour, with nothing due as well); the archive view finds a message's queue entry
     * through one too.
     */
    @Test
    void thePurgeAndTheDeliveryViewLookUpByIndex() {
        assertThat(plan(JdbcArchiveStore.DUE_FOR_PURGE, CUT_OFF, 500)).contains("MESSAGES_PURGE");
        assertThat(plan(JdbcArchiveStore.DELIVERY_OF, 1L)).containsPattern("OUTBOUND_QUEUE\\S*\\s*/\\* PUBLIC\\.\\S+: MESSAGE_ID = ");
    }

    /**
     * A search by a buyer alias reads the alias's index: with {@code buyer_alias = ? OR envelope_to = ?} no index
     * applied and the search read the archive backwards until it had a page. A seller's alias keeps the OR.
     */
    @Test
    void aSearchByABuyerAliasReadsItsIndex() {
        JdbcDirectoryStore directory = new JdbcDirectoryStore(db.jdbc());
        directory.insertSeller(DirectoryStoreContract.seller("s1", "a@shop.example", "x1@marketplace.example"), NOW);
        directory.insertBuyer(new org.postfach.directory.Buyer("b1", "Erika",
                org.postfach.mail.Address.of("erika@buyer.example"), false), NOW);
        directory.insertBuyerAlias("y1@marketplace.example", "s1", "b1", NOW);
        String plan = explain(archive.searchStatement(query("Y1@marketplace.example")));
        assertThat(plan).contains("MESSAGES_ALIAS").doesNotContain("\"ENVELOPE_TO\" =");
        assertThat(explain(archive.searchStatement(query("x1@marketplace.example")))).contains("\"ENVELOPE_TO\" =");
    }

    static org.postfach.archive.Query query(String alias) {
        return new org.postfach.archive.Query(null, alias, null, null, null, null, null, null, 50, null);
    }

    String explain(JdbcArchiveStore.Statement st) {
        return plan(st.sql(), st.params());
    }
}
