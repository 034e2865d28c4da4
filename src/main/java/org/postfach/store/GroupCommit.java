package org.postfach.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: the transactions of concurrent sessions are run together in one database transaction, each behind
 * its own savepoint, and committed once. A session hands in its work and returns only after the commit that
 * holds it (a 250 still means "on disk"); when its own work throws, only its statements are undone and the
 * exception is its answer, while the others' messages are committed.
 *
 * <p>Leader and followers: whoever takes the lock drains what is waiting (its own work included) and runs it as
 * one batch; a session that gets the lock after its work was taken by another waits for that leader's flush. While
 * one batch runs, the next one gathers, so under load a commit carries many messages and the hot rows (the daily
 * count, the archive head) are locked once per batch rather than once per message.
 */
final class GroupCommit {
    private final Jdbc jdbc;
    private final int maxBatch;
    private final long largeBytes;
    private final boolean durable;
    private final ReentrantLock leader = new ReentrantLock();
    private final ConcurrentLinkedQueue<Unit<?>> waiting = new ConcurrentLinkedQueue<>();

    /**
     * A batch holds at most {@code maxBatch} works; a work that writes more than {@code largeBytes} is a batch of its
     * own: H2 serialises a commit into one buffer, and several multi-megabyte messages in one commit ran the heap
     * out (bench/memory.sh). {@code durable}: a batch is flushed ({@link Jdbc#flush}) before its works return.
     */
    GroupCommit(Jdbc jdbc, int maxBatch, long largeBytes, boolean durable) {
        this.jdbc = jdbc;
        this.maxBatch = maxBatch;
        this.largeBytes = largeBytes;
        this.durable = durable;
    }

    /**
     * Runs {@code work}, which writes about {@code bytes}, in a shared transaction; returns its result after the
     * commit (and the flush that makes it durable), or throws its failure.
     *
     * <p>The leader lock covers running a batch and its commit only: the flush runs after the lock is given up, so
     * the next batch runs its statements meanwhile, and the flushes of batches that commit while one is being
     * written are done by one write (H2's store lock queues them; the first takes everything committed).
     */
    <T> T run(Jdbc.Work<T> work, long bytes) {
        Unit<T> unit = new Unit<>(work, bytes);
        waiting.add(unit);
        List<Unit<?>> ran = new ArrayList<>();
        boolean wrote = false;
        leader.lock();
        try {
            while (!unit.taken) { // a follower whose work another leader took only waits for that leader's flush
                wrote |= runBatch(ran);
            }
        } finally {
            leader.unlock();
        }
        if (!ran.isEmpty()) {
            if (wrote && durable) {
                flush(ran);
            }
            for (Unit<?> u : ran) {
                u.finish();
            }
        }
        unit.await();
        return unit.outcome();
    }

    /** Runs and commits the next batch; adds its works to {@code ran}; answers whether it wrote anything. */
    private boolean runBatch(List<Unit<?>> ran) {
        List<Unit<?>> batch = new ArrayList<>();
        for (Unit<?> u; batch.size() < maxBatch && (u = waiting.peek()) != null; ) { // only the leader takes
            boolean large = u.bytes > largeBytes;
            if (large && !batch.isEmpty()) {
                break;
            }
            batch.add(waiting.poll());
            u.taken = true;
            if (large) {
                break;
            }
        }
        ran.addAll(batch);
        try {
            return jdbc.commit(() -> {
                if (batch.size() == 1) {
                    batch.get(0).runAlone(); // its failure is the transaction's: no savepoint needed
                    return null;
                }
                for (Unit<?> u : batch) {
                    u.runBehindSavepoint(jdbc);
                }
                return null;
            }).wrote();
        } catch (RuntimeException | Error e) {
            for (Unit<?> u : batch) {
                u.failure = e; // the commit (or a rollback) failed: nothing of this batch is stored
            }
            return false;
        }
    }

    /** Makes the committed works durable; if that fails, none of them may be reported as stored. */
    private void flush(List<Unit<?>> ran) {
        try {
            jdbc.flush();
        } catch (RuntimeException | Error e) {
            for (Unit<?> u : ran) {
                if (u.failure == null) {
                    u.failure = e;
                }
            }
        }
    }

    private static final class Unit<T> {
        private final Jdbc.Work<T> work;
        private final long bytes;
        private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        private T result;
        private Throwable failure;
        private boolean taken; // written and read under the leader lock

        Unit(Jdbc.Work<T> work, long bytes) {
            this.work = work;
            this.bytes = bytes;
        }

        void runBehindSavepoint(Jdbc jdbc) {
            try {
                result = jdbc.inSavepoint(work);
            } catch (Jdbc.BrokenTransaction e) {
                throw e;
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        void runAlone() throws java.sql.SQLException {
            result = work.run();
        }

        /** Result and failure are final now; the latch publishes them to the waiting owner. */
        void finish() {
            finished.countDown();
        }

        /** Waits for the leader that took this work; the outcome must be known, so an interrupt waits on. */
        void await() {
            boolean interrupted = false;
            while (true) {
                try {
                    finished.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        T outcome() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return result;
        }
    }
}
