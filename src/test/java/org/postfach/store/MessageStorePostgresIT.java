package org.postfach.store;

/** {@link MessageStoreContract} on a fresh database of the test PostgreSQL. */
class MessageStorePostgresIT extends MessageStoreContract {
    @Override
    String freshUrl() {
        return postgres();
    }
}
