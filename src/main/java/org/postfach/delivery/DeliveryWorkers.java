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
import org.postfach.queue.HandOff;
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
public final class DeliveryWorkers implements AutoCloseable, HandOff {
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
    /** Handed over by intake, their rows leased to this node; at most {@link #room} of them, each at most 256 KB. */
    private final java.util.Queue<Handed> handed = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Semaphore room;
    /** Set when the queue table has new work: a worker reads it before waiting again (at start, nextPoll does). */
    private final java.util.concurrent.atomic.AtomicBoolean tableWork = new java.util.concurrent.atomic.AtomicBoolean();
    private final Object handing = new Object();
    static final long HAND_OFF_MAX_BYTES = 256 * 1024;

    private record Handed(QueueEntry entry, byte[] content, long since) {
    }

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
        this.room = new Semaphore(4 * count);
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

    /** New work is in the queue table: a worker reads it now instead of at the next poll. */
    @Override
    public void queued() {
        tableWork.set(true);
        wake();
    }

    private void wake() {
        if (wakeUp.availablePermits() < count) {
            wakeUp.release();
        }
    }

    @Override
    public Ticket reserve(int n, long bytes) {
        if (!running || bytes > n * HAND_OFF_MAX_BYTES || !room.tryAcquire(n)) {
            return null; // large messages, a full hand-over, or stopping: the queue table
        }
        return new Ticket() {
            private final List<Handed> entries = java.util.Collections.synchronizedList(new ArrayList<>());
            private final Instant until = clock.instant().plus(LEASE);

            @Override
            public String owner() {
                return owner;
            }

            @Override
            public Instant leaseUntil() {
                return until;
            }

            @Override
            public void add(QueueEntry entry, byte[] content) {
                entries.add(new Handed(entry, content, System.nanoTime()));
            }

            @Override
            public void confirm() {
                List<Handed> taken = List.copyOf(entries);
                room.release(n - taken.size());
                synchronized (handing) {
                    if (running) {
                        handed.addAll(taken);
                        taken.forEach(h -> wake());
                        return;
                    }
                }
                taken.forEach(h -> giveBack(h.entry())); // stopping: the rows go back to the table
                room.release(taken.size());
            }

            @Override
            public void cancel() {
                room.release(n);
            }
        };
    }

    /** A handed-over entry that will not be sent by this worker goes back to the queue table as due. */
    private void giveBack(QueueEntry entry) {
        try {
            queue.release(entry, owner);
        } catch (RuntimeException e) {
            LOG.warn("cannot give message={} back to the queue; it is due when its lease ends", entry.messageId());
        }
    }

    private void run() {
        try (Transport transport = transports.get()) {
            long nextPoll = System.nanoTime();
            while (running) {
                Handed h = handed.poll();
                if (h != null) {
                    room.release();
                    if (!running || System.nanoTime() - h.since() > LEASE.toNanos() / 2) {
                        giveBack(h.entry()); // stopping, or waited too long here: its lease must not run out
                    } else {
                        deliver(transport, h.entry(), h.content());
                    }
                    continue;
                }
                // the table: when told it has work, and once per poll interval for retries and other nodes' work
                if (!tableWork.getAndSet(false) && System.nanoTime() - nextPoll < 0) {
                    wakeUp.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                }
                List<QueueEntry> batch;
                try {
                    batch = queue.lease(owner, BATCH, clock.instant(), LEASE);
                } catch (RuntimeException e) {
                    LOG.warn("delivery: cannot read the queue ({}); retrying", e.getMessage());
                    batch = List.of();
                }
                nextPoll = System.nanoTime() + pollInterval.toNanos();
                if (batch.size() == BATCH) {
                    queued(); // there may be more: another worker reads on
                }
                for (QueueEntry entry : batch) {
                    if (!running) {
                        queue.release(entry, owner);
                        continue;
                    }
                    deliver(transport, entry, null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends one leased entry; {@code content} is its delivered form when handed over, else read from the queue. */
    private void deliver(Transport transport, QueueEntry entry, byte[] content) {
        try {
            try (MemoryBudget.Lease lease = MemoryBudget.heap().take(entry.size() * COPIES)) {
                byte[] bytes = content != null ? content : queue.content(entry);
                transport.send(entry.envelopeFrom(), entry.recipient(), bytes);
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
        synchronized (handing) {
            running = false;
        }
        wakeUp.release(count);
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (Handed h; (h = handed.poll()) != null; ) {
            giveBack(h.entry()); // not sent: due again in the table, for this node's next start or another node
        }
    }
}
