package org.postfach.store;

/** {@link DirectoryStoreContract} on a fresh database of the test PostgreSQL. */
class DirectoryStorePostgresIT extends DirectoryStoreContract {
    @Override
    String freshUrl() {
        return postgres();
    }
}
