package org.projectbeacon.resilience.metrics;

import static org.projectbeacon.resilience.metrics.CoreMetricCatalog.JOBS_DURATION;
import static org.projectbeacon.resilience.metrics.CoreMetricCatalog.JOBS_ENQUEUED;
import static org.projectbeacon.resilience.metrics.CoreMetricCatalog.JOBS_PROCESSED;
import static org.projectbeacon.resilience.metrics.CoreMetricCatalog.JOB_DURATION_BUCKETS_SECONDS;
import static org.projectbeacon.resilience.metrics.CoreMetricCatalog.NEGOTIATION_OFFERS_SEEN;
import static org.projectbeacon.resilience.metrics.CoreMetricCatalog.NEGOTIATION_PROBES;
import static org.projectbeacon.resilience.metrics.CoreMetricCatalog.TAG_OUTCOME;
import static org.projectbeacon.resilience.metrics.CoreMetricCatalog.TAG_REGION;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runner's job and negotiation metrics that the runbook watches: {@code jobs_enqueued_total},
 * {@code jobs_processed_total{outcome}}, {@code jobs_duration_seconds} (histogram with buckets
 * {@link CoreMetricCatalog#JOB_DURATION_BUCKETS_SECONDS}), {@code negotiation_offers_seen_total{region}}
 * and {@code negotiation_probes_total{region,outcome}}.
 *
 * <p>Record through the methods at any time; values reach every registry this binder has been
 * bound to, and recordings before the first binding are dropped. The job meters appear at binding
 * with both outcomes at zero, so {@code rate()} works before the first failure; the negotiation
 * meters of a region appear at zero once {@link #regions} names it (or at its first use). Thread-safe; the
 * recording methods do not allocate after a region's first use.
 */
public final class RunnerMetrics implements MeterBinder {

    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private volatile Instruments instruments;

    private RunnerMetrics() {}

    /** Creates the metrics, bound to no registry yet. */
    public static RunnerMetrics create() {
        return new RunnerMetrics();
    }

    /** Sends every meter, present and future, to {@code registry} as well. */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        meters.add(Objects.requireNonNull(registry, "registry"));
        if (instruments == null) {
            // Created after the first registry joins the composite, so no meter predates it.
            instruments = new Instruments(meters);
        }
    }

    /** Counts one job accepted. */
    public void jobEnqueued() {
        Instruments i = instruments;
        if (i != null) {
            i.enqueued.increment();
        }
    }

    /** Counts one job finished with {@code outcome} after {@code duration}. */
    public void jobProcessed(JobOutcome outcome, Duration duration) {
        Objects.requireNonNull(outcome, "outcome");
        Instruments i = instruments;
        if (i != null) {
            i.processed.get(outcome).increment();
            i.durations.get(outcome).record(duration);
        }
    }

    /** Counts {@code count} offers seen in {@code region}. */
    public void offersSeen(String region, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative but was " + count);
        }
        Instruments i = instruments;
        if (i != null) {
            offers(i, region).increment(count);
        }
    }

    /** Counts one negotiation probe in {@code region} ending with {@code outcome}. */
    public void negotiationProbe(String region, JobOutcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        Instruments i = instruments;
        if (i != null) {
            probes(i, region).get(outcome).increment();
        }
    }

    /**
     * Registers the negotiation meters of {@code regions} at zero ({@code negotiation_probes_total}
     * for both outcomes, {@code negotiation_offers_seen_total}), so that the probe success ratio and
     * its alert see a region's first failures rather than a series appearing mid-window. Does nothing
     * before the first binding; idempotent.
     *
     * @throws IllegalArgumentException when a region is null or blank
     */
    public void regions(java.util.Collection<String> regions) {
        for (String region : regions) {
            if (region == null || region.isBlank()) {
                throw new IllegalArgumentException("regions must not contain a null or blank region but was " + regions);
            }
        }
        Instruments i = instruments;
        if (i != null) {
            for (String region : regions) {
                probes(i, region);
                offers(i, region);
            }
        }
    }

    private Map<JobOutcome, Counter> probes(Instruments i, String region) {
        return i.probes.computeIfAbsent(region, r -> {
            Map<JobOutcome, Counter> byOutcome = new EnumMap<>(JobOutcome.class);
            for (JobOutcome o : JobOutcome.values()) {
                byOutcome.put(o, Counter.builder(NEGOTIATION_PROBES)
                        .description("Negotiation probes, by region and outcome")
                        .tag(TAG_REGION, r)
                        .tag(TAG_OUTCOME, o.tagValue())
                        .register(meters));
            }
            return byOutcome;
        });
    }

    private Counter offers(Instruments i, String region) {
        return i.offers.computeIfAbsent(region, r -> Counter.builder(NEGOTIATION_OFFERS_SEEN)
                .description("Provider offers seen while negotiating")
                .tag(TAG_REGION, r)
                .register(meters));
    }

    private static final class Instruments {
        final Counter enqueued;
        final Map<JobOutcome, Counter> processed = new EnumMap<>(JobOutcome.class);
        final Map<JobOutcome, Timer> durations = new EnumMap<>(JobOutcome.class);
        final Map<String, Counter> offers = new ConcurrentHashMap<>();
        final Map<String, Map<JobOutcome, Counter>> probes = new ConcurrentHashMap<>();

        Instruments(MeterRegistry meters) {
            enqueued = Counter.builder(JOBS_ENQUEUED).description("Jobs accepted for processing").register(meters);
            Duration[] buckets = Arrays.stream(JOB_DURATION_BUCKETS_SECONDS)
                    .mapToObj(seconds -> Duration.ofNanos((long) (seconds * 1e9)))
                    .toArray(Duration[]::new);
            for (JobOutcome outcome : JobOutcome.values()) {
                processed.put(outcome, Counter.builder(JOBS_PROCESSED)
                        .description("Jobs finished, by outcome")
                        .tag(TAG_OUTCOME, outcome.tagValue())
                        .register(meters));
                durations.put(outcome, Timer.builder(JOBS_DURATION)
                        .description("Time to process a job, by outcome")
                        .tag(TAG_OUTCOME, outcome.tagValue())
                        .serviceLevelObjectives(buckets)
                        .register(meters));
            }
        }
    }
}
