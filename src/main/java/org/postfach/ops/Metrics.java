package org.postfach.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.postfach.mail.Tally;

/**
 * {@code /metrics} (SPEC §9): Prometheus text with Postfach's counters (accepted by route, refused by reply,
 * blocked by rule, delivery attempts by result), the time from the end of DATA to the reply, the queue depth by
 * state, and JVM and connection-pool metrics.
 */
public final class Metrics implements Tally {
    private static final Map<String, String> NAMES = Map.of("accepted", "postfach.messages.accepted",
            "refused", "postfach.messages.refused", "blocked", "postfach.messages.blocked",
            "delivery", "postfach.deliveries");
    private static final Map<String, String> LABELS = Map.of("accepted", "route", "refused", "reply",
            "blocked", "rule", "delivery", "result");
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private static final Duration[] INTAKE_BUCKETS = java.util.stream.LongStream
            .of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000).mapToObj(Duration::ofMillis)
            .toArray(Duration[]::new);

    public Metrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void count(String event, String label) {
        String name = NAMES.get(event);
        if (name == null) {
            return;
        }
        counters.computeIfAbsent(event + "\u0000" + label, k -> Counter.builder(name).tag(LABELS.get(event), label)
                .register(registry)).increment();
    }

    /** A gauge read when scraped, e.g. the queue depth of one state. */
    public <T> void gauge(String name, String tag, String value, T source, ToDoubleFunction<T> read) {
        Gauge.builder(name, source, read).tag(tag, value).register(registry);
    }

    /**
     * "intake": from the whole message read to the reply decided (parsed, checked, rewritten, archived and queued,
     * on disk), as {@code postfach_intake_seconds} with buckets around the 50 ms that issue 10 asks of the p99.
     */
    @Override
    public void time(String event, String label, long nanos) {
        if (!event.equals("intake")) {
            return;
        }
        timers.computeIfAbsent(label, l -> Timer.builder("postfach.intake")
                .description("end of DATA to the decided reply")
                .tag("result", l)
                .serviceLevelObjectives(INTAKE_BUCKETS)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    public String scrape() {
        return registry.scrape();
    }
}
