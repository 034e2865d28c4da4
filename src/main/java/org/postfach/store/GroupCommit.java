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
 * one batch; a session that gets the lock after its work was committed by another just returns. While one batch
 * commits, the next one gathers, so under load a commit carries many messages and the hot rows (the daily count,
 * the archive head) are locked once per batch rather than once per message.
 */
final class GroupCommit {
    private final Jdbc jdbc;
    private final int maxBatch;
    private final long largeBytes;
    private final ReentrantLock leader = new ReentrantLock();
    private final ConcurrentLinkedQueue<Unit<?>> waiting = new ConcurrentLinkedQueue<>();

    /**
     * A batch holds at most {@code maxBatch} works; a work that writes more than {@code largeBytes} is a batch of its
     * own: H2 serialises a commit into one buffer, and several multi-megabyte messages in one commit ran the heap
     * out (bench/memory.sh).
     */
    GroupCommit(Jdbc jdbc, int maxBatch, long largeBytes) {
        this.jdbc = jdbc;
        this.maxBatch = maxBatch;
        this.largeBytes = largeBytes;
    }

    /**
     * Runs {@code work}, which writes about {@code bytes}, in a shared transaction; returns its result after the
     * commit, or throws its failure.
     */
    <T> T run(Jdbc.Work<T> work, long bytes) {
        Unit<T> unit = new Unit<>(work, bytes);
        waiting.add(unit);
        leader.lock();
        try {
            while (!unit.done) {
                runBatch();
            }
        } finally {
            leader.unlock();
        }
        return unit.outcome();
    }

    private void runBatch() {
        List<Unit<?>> batch = new ArrayList<>();
        for (Unit<?> u; batch.size() < maxBatch && (u = waiting.peek()) != null; ) { // only the leader takes
            boolean large = u.bytes > largeBytes;
            if (large && !batch.isEmpty()) {
                break;
            }
            batch.add(waiting.poll());
            if (large) {
                break;
            }
        }
        try {
            jdbc.inTransaction(() -> {
                if (batch.size() == 1) {
                    batch.get(0).runAlone(); // its failure is the transaction's: no savepoint needed
                    return null;
                }
                for (Unit<?> u : batch) {
                    u.runBehindSavepoint(jdbc);
                }
                return null;
            });
        } catch (RuntimeException | Error e) {
            for (Unit<?> u : batch) {
                u.failure = e; // the commit (or a rollback) failed: nothing of this batch is stored
            }
        }
        for (Unit<?> u : batch) {
            u.done = true;
        }
    }

    private static final class Unit<T> {
        private final Jdbc.Work<T> work;
        private final long bytes;
        private T result;
        private Throwable failure;
        private boolean done; // written and read under the leader lock

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
