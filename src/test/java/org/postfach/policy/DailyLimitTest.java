package org.postfach.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.postfach.testing.MutableClock;

/** The limit is worked out at most once a minute per seller, and follows new orders after that minute. */
class DailyLimitTest {
    final AtomicInteger orders = new AtomicInteger(60);
    final AtomicInteger counted = new AtomicInteger();
    final SendLog log = new SendLog() {
        @Override
        public int sentOn(String sellerId, LocalDate utcDay) {
            return 0;
        }

        @Override
        public int ordersSince(String sellerId, Instant since) {
            counted.incrementAndGet();
            return sellerId.equals("s1") ? orders.get() : 0;
        }
    };
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    final DailyLimit limit = new DailyLimit(log, 5, 600, clock);

    @Test
    void theOrderCountIsReadOncePerMinuteAndSellerAndNewOrdersCountAfterIt() {
        assertThat(limit.limit("s1")).isEqualTo(610); // 5 × 60 / 30 + 600
        assertThat(limit.limit("s2")).isEqualTo(600);
        orders.set(120);
        clock.advance(Duration.ofSeconds(59));
        assertThat(limit.limit("s1")).as("within the minute").isEqualTo(610);
        assertThat(counted).hasValue(2);
        clock.advance(Duration.ofSeconds(1));
        assertThat(limit.limit("s1")).as("after it").isEqualTo(620);
        assertThat(counted).hasValue(3);
    }

    @Test
    void aClockThatWentBackReadsAgain() {
        clock.advance(Duration.ofHours(1));
        assertThat(limit.limit("s1")).isEqualTo(610);
        orders.set(0);
        clock.advance(Duration.ofHours(-1));
        assertThat(limit.limit("s1")).isEqualTo(600);
        assertThat(counted).hasValue(2);
    }
}
