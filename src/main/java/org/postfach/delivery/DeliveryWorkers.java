package org.postfach.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postfach.mail.MemoryBudget;
import org.postfach.queue.FailureNotices;
import org.postfach.queue.OutboundQueue;
import org.postfach.queue.QueueEntry;
import org.postfach.queue.RetrySchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker threads that lease due queue entries and hand them to a {@link Transport}. 2xx ends an entry as
 * DELIVERED, 5xx as FAILED, anything else is retried on the {@link RetrySchedule}. A worker survives every
 * failure of a single entry (one of the four catch-alls of ARCHITECTURE).
 */
public final class DeliveryWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorkers.class);
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final int BATCH = 10;
    /** Bytes of heap per byte of message while it is sent: H2's page, the bytes read, the client's buffers. */
    static final int COPIES = 6;
    private static final Pattern STATUS = Pattern.compile("\\b([245]\\.\\d{1,3}\\.\\d{1,3})\\b");
    /** RFC 3463: delivery time expired. */
    static final String EXPIRED = "4.4.7";

    private final OutboundQueue queue;
    private final Supplier<Transport> transports;
    private final RetrySchedule retries;
    private final FailureNotices failures;
    private final Clock clock;
    private final int count;
    private final Duration pollInterval;
    private final String owner;
    private final Semaphore wakeUp = new Semaphore(0);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    /** {@code owner} names this node; it must stay the same across restarts of the node (see recover). */
    private volatile org.postfach.mail.Tally tally = org.postfach.mail.Tally.NONE;

    /** Where delivered, deferred and failed attempts are counted (the metrics); set once while wiring. */
    public void countWith(org.postfach.mail.Tally tally) {
        this.tally = tally;
    }

    public DeliveryWorkers(OutboundQueue queue, Supplier<Transport> transports, RetrySchedule retries, Clock clock,
                           int count, Duration pollInterval, String owner) {
        this(queue, transports, retries, clock, count, pollInterval, owner, FailureNotices.NONE);
    }

    public DeliveryWorkers(OutboundQueue queue, Supplier<Transport> transports, RetrySchedule retries, Clock clock,
                           int count, Duration pollInterval, String owner, FailureNotices failures) {
        this.failures = failures;
        this.queue = queue;
        this.owner = owner;
        this.transports = transports;
        this.retries = retries;
        this.clock = clock;
        this.count = count;
        this.pollInterval = pollInterval;
    }

    public void start() {
        int recovered = queue.recover(owner);
        if (recovered > 0) {
            LOG.info("recovered {} deliveries that were under way when this node last stopped", recovered);
        }
        running = true;
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(this::run, "delivery-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** New work is queued: wake the workers instead of waiting for the next poll. */
    public void wakeUp() {
        if (wakeUp.availablePermits() < count) {
            wakeUp.release();
        }
    }

    private void run() {
        try (Transport transport = transports.get()) {
            while (running) {
                List<QueueEntry> batch;
                try {
                    batch = queue.lease(owner, BATCH, clock.instant(), LEASE);
                } catch (RuntimeException e) {
                    LOG.warn("delivery: cannot read the queue ({}); retrying", e.getMessage());
                    batch = List.of();
                }
                for (QueueEntry entry : batch) {
                    if (!running) {
                        queue.release(entry, owner);
                        continue;
                    }
                    deliver(transport, entry);
                }
                if (batch.isEmpty()) {
                    wakeUp.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Transport transport, QueueEntry entry) {
        try {
            try (MemoryBudget.Lease lease = MemoryBudget.heap().take(entry.size() * COPIES)) {
                transport.send(entry.envelopeFrom(), entry.recipient(), queue.content(entry));
            }
            queue.delivered(entry, owner, clock.instant());
            LOG.info("delivered message={} attempt={}", entry.messageId(), entry.attempts());
            tally.count("delivery", "delivered");
        } catch (DeliveryException e) {
            Instant now = clock.instant();
            Optional<Instant> next = e.permanent() ? Optional.empty()
                    : retries.next(entry.attempts(), entry.createdAt(), now);
            if (next.isPresent()) {
                queue.deferred(entry, owner, next.get(), e.getMessage(), now);
                LOG.info("deferred message={} attempt={} next={}", entry.messageId(), entry.attempts(), next.get());
                tally.count("delivery", "deferred");
            } else {
                // the notice first: a crash in between repeats it (idempotent), never loses it
                failures.failed(entry.messageId(), e.permanent() ? status(e.getMessage()) : EXPIRED, now);
                queue.failed(entry, owner, e.getMessage(), now);
                tally.count("delivery", "failed");
                LOG.info("failed message={} attempt={} permanent={}", entry.messageId(), entry.attempts(),
                        e.permanent());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queue.release(entry, owner); // stopping: the entry goes back untouched
        } catch (RuntimeException e) {
            LOG.error("delivery of message={} broke; deferred", entry.messageId(), e);
            try {
                queue.deferred(entry, owner, clock.instant().plus(Duration.ofMinutes(1)), "internal error",
                        clock.instant());
            } catch (RuntimeException again) {
                LOG.warn("cannot defer message={}; its lease will expire", entry.messageId());
            }
        }
    }

    /** The enhanced status code in a remote diagnostic, or the generic one of a permanent failure. */
    static String status(String diagnostic) {
        Matcher m = STATUS.matcher(diagnostic == null ? "" : diagnostic);
        return m.find() && m.group(1).startsWith("5") ? m.group(1) : "5.0.0";
    }

    @Override
    public void close() {
        running = false;
        wakeUp.release(count);
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
