package org.postfach.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.postfach.mail.Tally;

/**
 * {@code /metrics} (SPEC §9): Prometheus text with Postfach's counters (accepted by route, refused by reply,
 * blocked by rule, delivery attempts by result), the queue depth by state, and JVM and connection-pool metrics.
 */
public final class Metrics implements Tally {
    private static final Map<String, String> NAMES = Map.of("accepted", "postfach.messages.accepted",
            "refused", "postfach.messages.refused", "blocked", "postfach.messages.blocked",
            "delivery", "postfach.deliveries");
    private static final Map<String, String> LABELS = Map.of("accepted", "route", "refused", "reply",
            "blocked", "rule", "delivery", "result");
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

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

    public String scrape() {
        return registry.scrape();
    }
}
