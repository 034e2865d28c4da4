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
}
