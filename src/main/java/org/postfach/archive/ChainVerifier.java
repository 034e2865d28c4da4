package org.postfach.archive;

import java.util.List;
import java.util.Optional;

/**
 * {@code postfach archive verify}: walks the chain from its start and recomputes every entry's hash. A changed
 * entry fails its own hash; a removed entry breaks the link of the one after it; a removed last entry no longer
 * matches the head. Purged entries keep their hashes as tombstones: their links are checked, their content is
 * gone by design. Entries from before the chain existed (no hash) are counted and skipped.
 */
public final class ChainVerifier {
    private final ArchiveStore store;

    public ChainVerifier(ArchiveStore store) {
        this.store = store;
    }

    public record Result(long checked, long unchained, Optional<Long> brokenAt, String problem) {
        public boolean ok() {
            return brokenAt.isEmpty();
        }
    }

    public Result verify() {
        String previous = ChainHash.GENESIS;
        long lastId = 0;
        long checked = 0;
        long unchained = 0;
        long after = 0;
        while (true) {
            List<ArchiveStore.ChainEntry> batch = store.chain(after, 500);
            if (batch.isEmpty()) {
                break;
            }
            for (ArchiveStore.ChainEntry e : batch) {
                after = e.id();
                if (e.entryHash() == null) {
                    unchained++;
                    continue;
                }
                if (!previous.equals(e.prevHash())) {
                    return new Result(checked, unchained, Optional.of(e.id()),
                            "entry " + e.id() + ": the entry before it was changed or removed");
                }
                if (!e.purged() && !ChainHash.of(previous, e.content()).equals(e.entryHash())) {
                    return new Result(checked, unchained, Optional.of(e.id()),
                            "entry " + e.id() + ": its content does not match its hash");
                }
                previous = e.entryHash();
                lastId = e.id();
                checked++;
            }
        }
        ArchiveStore.ChainEntry head = store.head();
        if (head.id() != lastId || !head.entryHash().equals(previous)) {
            return new Result(checked, unchained, Optional.of(head.id()),
                    "entry " + head.id() + ": the last entry of the chain is missing");
        }
        return new Result(checked, unchained, Optional.empty(), "");
    }
}
