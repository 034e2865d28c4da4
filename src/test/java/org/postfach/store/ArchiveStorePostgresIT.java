package org.postfach.store;

/** {@link ArchiveStoreContract} on a fresh database of the test PostgreSQL. */
class ArchiveStorePostgresIT extends ArchiveStoreContract {
    @Override
    String freshUrl() {
        return postgres();
    }
}
