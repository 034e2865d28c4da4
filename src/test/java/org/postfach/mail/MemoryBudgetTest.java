package org.postfach.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Issue 10: whole messages in the heap are bounded by a budget; a step waits while it is spent. */
class MemoryBudgetTest {
    @Test
    void aLeaseWaitsUntilEnoughIsGivenBack() throws Exception {
        MemoryBudget budget = new MemoryBudget(100 * 1024);
        MemoryBudget.Lease first = budget.take(60 * 1024);
        assertThat(budget.freeKilobytes()).isEqualTo(40);
        AtomicBoolean got = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread second = new Thread(() -> {
            try (MemoryBudget.Lease l = budget.take(60 * 1024)) {
                got.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        });
        second.start();
        assertThat(done.await(300, TimeUnit.MILLISECONDS)).as("waits while the budget is spent").isFalse();
        assertThat(got).isFalse();
        first.close();
        first.close(); // a second close gives nothing back twice
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(got).isTrue();
        assertThat(budget.freeKilobytes()).isEqualTo(100);
    }

    @Test
    void oneMessageLargerThanTheWholeBudgetStillRunsAlone() throws Exception {
        MemoryBudget budget = new MemoryBudget(100 * 1024);
        try (MemoryBudget.Lease l = budget.take(10L * 1024 * 1024 * 1024)) {
            assertThat(budget.freeKilobytes()).isZero();
        }
        assertThat(budget.freeKilobytes()).isEqualTo(100);
    }
}
