package org.postfach.store;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One sync for all callers that come while one runs: the H2 file's {@code CHECKPOINT SYNC} ({@link Database}) and
 * the sync of a shared message file ({@link Bodies}). A caller takes a ticket after its write, and a sync that
 * began after the ticket was taken covers it. A caller whose ticket is covered returns as soon as that sync ends;
 * it does not queue for the right to sync (with one monitor for both, covered callers waited behind later syncs:
 * 18 ms per message at 100 KB while a sync took 1-3 ms). A failed sync covers no one: the caller that ran it gets
 * the failure, the others try again.
 *
 * @param <E> what a sync throws
 */
final class GroupSync<E extends Exception> {
    /** Writes and syncs everything written so far. */
    interface Action<E extends Exception> {
        void run() throws E;
    }

    private final Action<E> sync;
    private final AtomicLong tickets = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition synced = lock.newCondition();
    private long done; // the last ticket taken before the last successful sync began; guarded by lock
    private boolean syncing; // a sync runs; guarded by lock

    GroupSync(Action<E> sync) {
        this.sync = sync;
    }

    /** Returns once a sync that began after this call came has ended well; throws if the one it ran failed. */
    void run() throws E {
        long ticket = tickets.incrementAndGet();
        lock.lock();
        try {
            while (done < ticket) {
                if (syncing) {
                    synced.awaitUninterruptibly();
                } else {
                    syncOnce();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs one sync without the lock, which it holds on entry and on return. */
    private void syncOnce() throws E {
        syncing = true;
        long upTo = tickets.get();
        boolean ok = false;
        lock.unlock();
        try {
            sync.run();
            ok = true;
        } finally {
            lock.lock();
            syncing = false;
            if (ok) {
                done = upTo;
            }
            synced.signalAll();
        }
    }

    /** How many callers came so far (a test waits for its callers to be in line). */
    long callers() {
        return tickets.get();
    }
}
