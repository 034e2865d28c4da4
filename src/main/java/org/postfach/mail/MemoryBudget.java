package org.postfach.mail;

import java.util.concurrent.Semaphore;

/**
 * How much of the heap whole messages may take at once. A message is held whole in the heap only while it is
 * parsed, checked, rewritten and stored (intake) or sent (delivery); while it arrives it is spooled to disk. Each
 * such step takes a lease sized by the message (its bytes times the copies the step makes) and waits while the
 * budget is spent, so fifty 10 MB messages arriving at once are worked on a few at a time instead of running the
 * heap out. One message larger than the whole budget still runs, alone.
 */
public final class MemoryBudget {
    private static final MemoryBudget HEAP = new MemoryBudget(Runtime.getRuntime().maxMemory() / 3);
    private final Semaphore kilobytes;
    private final int total;

    public MemoryBudget(long bytes) {
        this.total = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / 1024));
        this.kilobytes = new Semaphore(total, true);
    }

    /**
     * The process-wide budget: a third of the maximum heap. The rest is for what the budget cannot see: the
     * sessions, H2's page cache and its commit buffers, which hold the stored forms once more.
     */
    public static MemoryBudget heap() {
        return HEAP;
    }

    /** Waits until {@code bytes} of the budget are free and takes them; close the lease to give them back. */
    public Lease take(long bytes) throws InterruptedException {
        int kb = (int) Math.min(total, Math.max(1, (bytes + 1023) / 1024));
        kilobytes.acquire(kb);
        return new Lease(kb);
    }

    /** Kilobytes not taken now (for tests and metrics). */
    public int freeKilobytes() {
        return kilobytes.availablePermits();
    }

    /** A part of the budget, given back once by {@link #close()}. */
    public final class Lease implements AutoCloseable {
        private int kb;

        private Lease(int kb) {
            this.kb = kb;
        }

        @Override
        public void close() {
            if (kb > 0) {
                kilobytes.release(kb);
                kb = 0;
            }
        }
    }
}
