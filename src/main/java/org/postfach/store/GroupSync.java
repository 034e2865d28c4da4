package org.postfach.store;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One sync for all callers that come while one runs: the H2 file's {@code CHECKPOINT SYNC} ({@link Database}) and
 * the sync of a shared message file ({@link Bodies}). A caller takes a ticket after its write, and a sync that
 * began after the ticket was taken covers it. A caller whose ticket is covered returns as soon as that sync ends;
 * it does not queue for the right to sync (with one monitor for both, covered callers waited behind later syncs:
 * 18 ms per message at 100 KB while a sync took 1-3 ms). A failed sync covers no one: the caller that ran it gets
 * the failure, the others try again.
 *
 * <p>No lock is held while waiting: the thread that ends a sync wakes every waiting caller at once, and each one
 * returns without taking anything. (With a lock and a condition, the woken callers took the lock one after the
 * other, each waiting for a core of a saturated machine in turn: at 100 KB a caller waited 14 ms at the median
 * for a sync that took 2 ms.)
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
    private final AtomicBoolean syncing = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Thread> waiting = new ConcurrentLinkedQueue<>();
    private volatile long done; // the last ticket taken before the last successful sync began

    GroupSync(Action<E> sync) {
        this.sync = sync;
    }

    /** Returns once a sync that began after this call came has ended well; throws if the one it ran failed. */
    void run() throws E {
        long ticket = tickets.incrementAndGet();
        boolean interrupted = false; // the outcome must be known: an interrupt waits on, and is kept
        try {
            while (done < ticket) {
                if (syncing.compareAndSet(false, true)) {
                    syncOnce();
                    continue;
                }
                Thread me = Thread.currentThread();
                waiting.add(me);
                // checked again after joining the queue: a sync that ended before was seen to end here, and one
                // that ends after wakes this thread (it clears the flag before it empties the queue)
                if (done < ticket && syncing.get()) {
                    LockSupport.park(this);
                    interrupted |= Thread.interrupted();
                }
                waiting.remove(me); // normally gone already; a wake-up with nothing left to do is harmless
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs one sync; the caller has set {@link #syncing}. */
    private void syncOnce() throws E {
        long upTo = tickets.get();
        try {
            sync.run();
            done = upTo;
        } finally {
            syncing.set(false);
            for (Thread t; (t = waiting.poll()) != null; ) {
                LockSupport.unpark(t);
            }
        }
    }

    /** How many callers came so far (a test waits for its callers to be in line). */
    long callers() {
        return tickets.get();
    }
}
