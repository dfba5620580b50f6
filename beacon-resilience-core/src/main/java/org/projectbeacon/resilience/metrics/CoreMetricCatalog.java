package org.projectbeacon.resilience.metrics;

import static org.projectbeacon.resilience.spi.MeterDescriptor.counter;
import static org.projectbeacon.resilience.spi.MeterDescriptor.gauge;
import static org.projectbeacon.resilience.spi.MeterDescriptor.timer;

import java.util.Arrays;
import java.util.List;
import org.projectbeacon.resilience.AdminOperation;
import org.projectbeacon.resilience.spi.MeterDescriptor;
import org.projectbeacon.resilience.spi.MetricCatalog;

/**
 * Every meter beacon-resilience-core registers: the runner metrics of {@link RunnerMetrics}, the
 * region-fallback and breaker-admin counters, and the resilience4j meters bound for each guard by
 * {@link org.projectbeacon.resilience.GuardRegistry#metrics()}, with the closed value sets of their
 * {@code outcome}, {@code operation}, {@code state} and {@code kind} tags.
 *
 * <p>This is the one place the module's meter names are written; the binders use these constants.
 * Registered for {@link java.util.ServiceLoader} so the Maven plugin can read it. Stateless.
 */
public final class CoreMetricCatalog implements MetricCatalog {

    /** Jobs accepted for processing. Prometheus: {@code jobs_enqueued_total}. */
    public static final String JOBS_ENQUEUED = "jobs.enqueued";
    /** Jobs finished, tagged {@code outcome} = success|failure. Prometheus: {@code jobs_processed_total}. */
    public static final String JOBS_PROCESSED = "jobs.processed";
    /** Time to process a job, tagged {@code outcome}; histogram. Prometheus: {@code jobs_duration_seconds_*}. */
    public static final String JOBS_DURATION = "jobs.duration";
    /** Provider offers seen while negotiating, tagged {@code region}. Prometheus: {@code negotiation_offers_seen_total}. */
    public static final String NEGOTIATION_OFFERS_SEEN = "negotiation.offers.seen";
    /** Negotiation probes, tagged {@code region} and {@code outcome}. Prometheus: {@code negotiation_probes_total}. */
    public static final String NEGOTIATION_PROBES = "negotiation.probes";
    /** Calls answered by a region other than the preferred one. Prometheus: {@code beacon_region_fallbacks_total}. */
    public static final String REGION_FALLBACKS = "beacon.region.fallbacks";
    /** Breaker admin operations, tagged {@code operation}. Prometheus: {@code beacon_breaker_admin_operations_total}. */
    public static final String BREAKER_ADMIN_OPERATIONS = "beacon.breaker.admin.operations";

    /** Tag key of job and probe outcomes. */
    public static final String TAG_OUTCOME = "outcome";
    /** Tag key of regions. */
    public static final String TAG_REGION = "region";
    /** Tag key of a fallback's dependency. */
    public static final String TAG_DEPENDENCY = "dependency";
    /** Tag key of the preferred region a fallback left. */
    public static final String TAG_FROM = "from";
    /** Tag key of the region that answered after a fallback. */
    public static final String TAG_TO = "to";
    /** Tag key of admin operations. */
    public static final String TAG_OPERATION = "operation";

    /** Values of {@link #TAG_OUTCOME}: every {@link JobOutcome}'s tag value. */
    public static final List<String> OUTCOMES = Arrays.stream(JobOutcome.values()).map(JobOutcome::tagValue).toList();
    /** Values of {@link #TAG_OPERATION}: every {@link AdminOperation}'s slug. */
    public static final List<String> OPERATIONS = Arrays.stream(AdminOperation.values()).map(AdminOperation::slug).toList();
    /** Values of the resilience4j breaker {@code state} tag: every breaker state, lower case. */
    public static final List<String> BREAKER_STATES =
            List.of("closed", "open", "half_open", "disabled", "forced_open", "metrics_only");
    /** Tag key resilience4j names the guarded dependency with. */
    private static final String NAME = "name";
    /** Tag key resilience4j splits its call counts by. */
    private static final String KIND = "kind";
    private static final String SUCCESSFUL = "successful";
    private static final String FAILED = "failed";

    /** Buckets of {@link #JOBS_DURATION}, in seconds. */
    public static final double[] JOB_DURATION_BUCKETS_SECONDS = {0.1, 0.5, 1, 2, 5, 10, 30, 60, 300};

    private static final List<MeterDescriptor> METERS = List.of(
            counter(JOBS_ENQUEUED, "Jobs accepted for processing"),
            counter(JOBS_PROCESSED, "Jobs finished, by outcome", TAG_OUTCOME).withClosedValues(TAG_OUTCOME, OUTCOMES),
            timer(JOBS_DURATION, true, "Time to process a job, by outcome", TAG_OUTCOME)
                    .withClosedValues(TAG_OUTCOME, OUTCOMES),
            counter(NEGOTIATION_OFFERS_SEEN, "Provider offers seen while negotiating", TAG_REGION),
            counter(NEGOTIATION_PROBES, "Negotiation probes, by region and outcome", TAG_REGION, TAG_OUTCOME)
                    .withClosedValues(TAG_OUTCOME, OUTCOMES),
            counter(REGION_FALLBACKS, "Calls answered by a region other than the preferred one",
                    TAG_DEPENDENCY, TAG_FROM, TAG_TO),
            counter(BREAKER_ADMIN_OPERATIONS, "Circuit breaker admin operations", TAG_OPERATION)
                    .withClosedValues(TAG_OPERATION, OPERATIONS),
            gauge("resilience4j.circuitbreaker.state", "1 for the breaker's current state, 0 for the others",
                    NAME, "state").withClosedValues("state", BREAKER_STATES),
            gauge("resilience4j.circuitbreaker.buffered.calls", "Calls in the sliding window, by kind", NAME, KIND)
                    .withClosedValues(KIND, SUCCESSFUL, FAILED),
            gauge("resilience4j.circuitbreaker.slow.calls", "Slow calls in the sliding window, by kind", NAME, KIND)
                    .withClosedValues(KIND, SUCCESSFUL, FAILED),
            gauge("resilience4j.circuitbreaker.failure.rate", "Failure rate in percent, -1 below the minimum calls",
                    NAME),
            gauge("resilience4j.circuitbreaker.slow.call.rate", "Slow-call rate in percent, -1 below the minimum calls",
                    NAME),
            timer("resilience4j.circuitbreaker.calls", false, "Calls through the breaker, by kind", NAME, KIND)
                    .withClosedValues(KIND, SUCCESSFUL, FAILED, "ignored"),
            counter("resilience4j.circuitbreaker.not.permitted.calls", "Calls the breaker rejected", NAME, KIND)
                    .withClosedValues(KIND, "not_permitted"),
            counter("resilience4j.retry.calls", "Retried and unretried calls, by kind", NAME, KIND)
                    .withClosedValues(KIND, "successful_without_retry", "successful_with_retry", "failed_without_retry",
                            "failed_with_retry"),
            counter("resilience4j.timelimiter.calls", "Timed calls, by kind", NAME, KIND)
                    .withClosedValues(KIND, SUCCESSFUL, FAILED, "timeout"),
            gauge("resilience4j.bulkhead.available.concurrent.calls", "Free bulkhead permits", NAME),
            gauge("resilience4j.bulkhead.max.allowed.concurrent.calls", "Bulkhead size", NAME));

    /** Creates the catalog; {@link java.util.ServiceLoader} calls this. */
    public CoreMetricCatalog() {}

    @Override
    public String module() {
        return "beacon-resilience-core";
    }

    @Override
    public List<MeterDescriptor> meters() {
        return METERS;
    }
}
