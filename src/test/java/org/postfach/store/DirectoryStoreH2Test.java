package org.postfach.store;

/** {@link DirectoryStoreContract} on an in-memory H2. */
class DirectoryStoreH2Test extends DirectoryStoreContract {
    @Override
    String freshUrl() {
        return h2();
    }
}
