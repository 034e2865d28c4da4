package org.postfach.store;

/** {@link OutboundQueueContract} on a fresh database of the test PostgreSQL. */
class OutboundQueuePostgresIT extends OutboundQueueContract {
    @Override
    String freshUrl() {
        return postgres();
    }
}
