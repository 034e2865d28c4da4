package org.postfach.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Concurrency tests: {@code n} tasks on their own threads, released at the same instant. */
public final class Race {
    private Race() {
    }

    /** One task of a race; {@code i} is its index, 0 to n - 1. */
    public interface Task {
        String run(int i) throws Exception;
    }

    /** Runs {@code n} tasks at once and waits for all; answers their non-null results, rethrows any failure. */
    public static List<String> race(int n, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            futures.add(pool.submit(() -> {
                go.await();
                return task.run(index);
            }));
        }
        go.countDown();
        List<String> out = new ArrayList<>();
        try {
            for (Future<String> f : futures) {
                String r = f.get();
                if (r != null) {
                    out.add(r);
                }
            }
        } finally {
            pool.shutdown();
        }
        return out;
    }
}
