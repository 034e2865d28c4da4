package org.postfach.store;

/** {@link MessageStoreContract} on an in-memory H2. */
class MessageStoreH2Test extends MessageStoreContract {
    @Override
    String freshUrl() {
        return h2();
    }
}
