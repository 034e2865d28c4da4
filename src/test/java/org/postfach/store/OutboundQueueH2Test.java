package org.postfach.store;

/** {@link OutboundQueueContract} on an in-memory H2. */
class OutboundQueueH2Test extends OutboundQueueContract {
    @Override
    String freshUrl() {
        return h2();
    }
}
