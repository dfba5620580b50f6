package org.projectbeacon.health.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.projectbeacon.health.HealthAggregator;
import org.projectbeacon.health.HealthReport;
import org.projectbeacon.health.ServiceHealth;
import org.projectbeacon.resilience.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server-side ring buffer of health snapshots, so that a freshly opened console shows the last
 * half hour of backlog rather than an empty chart.
 *
 * <p>Every {@link Builder#interval interval} (default 5 s) it reads the aggregator's latest report
 * (never running a check) and keeps, per service, its status and its <em>numeric</em> details
 * (such as the outbox's {@code unpublished_count}, {@code oldest_unpublished_age_seconds} and
 * {@code stuck_threshold_age_seconds}, or the consumer's {@code lag} and {@code pending}). Samples
 * older than the {@link Builder#window window} (default 30 min) are dropped, so memory is bounded
 * by window / interval samples. Text details and errors are not kept: the history is served
 * without a token, like {@code /health/ready}, and holds figures only.
 *
 * <p>Thread-safe. {@link #start()} schedules sampling; {@link #close()} stops it and shuts down a
 * scheduler the history created itself. A failing sample is logged and skipped, never fatal.
 */
public final class HealthHistory implements AutoCloseable {

    /** Default 30 minutes. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(30);
    /** Default 5 seconds. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(HealthHistory.class);

    private final HealthAggregator health;
    private final Duration window;
    private final Duration interval;
    private final Clock clock;
    private ScheduledExecutorService scheduler; // an owned one is made by start(), after a close() too
    private final boolean ownsScheduler;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private ScheduledFuture<?> task;

    /**
     * One snapshot.
     *
     * @param at when it was taken
     * @param status the rolled-up status
     * @param services per service: {@code status} and its numeric details
     */
    public record Sample(Instant at, String status, Map<String, Map<String, Object>> services) {
        /** Validates and copies the fields. */
        public Sample {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(status, "status");
            services = Map.copyOf(services);
        }
    }

    private HealthHistory(Builder builder) {
        this.health = builder.health;
        this.window = builder.window;
        this.interval = builder.interval;
        this.clock = builder.clock;
        this.ownsScheduler = builder.scheduler == null;
        this.scheduler = builder.scheduler;
    }

    /** A builder sampling {@code health}. */
    public static Builder builder(HealthAggregator health) {
        return new Builder(health);
    }

    /**
     * Starts sampling, one sample at once and then every interval; idempotent, and again after
     * {@link #close()} (a Spring context stopped and started). Returns this.
     */
    public synchronized HealthHistory start() {
        if (ownsScheduler && (scheduler == null || scheduler.isShutdown())) {
            scheduler = Executors.newSingleThreadScheduledExecutor(new DaemonThreads("beacon-health-history"));
        }
        if (task == null) {
            task = scheduler.scheduleAtFixedRate(this::sampleQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Takes one sample now from the aggregator's latest report and drops samples out of the window. */
    public void sample() {
        HealthReport report = health.report();
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        for (ServiceHealth service : report.services()) {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("status", service.status().name());
            service.details().forEach((name, value) -> {
                if (value instanceof Number) {
                    figures.put(name, value);
                }
            });
            services.put(service.name(), figures);
        }
        Instant now = clock.instant();
        Sample sample = new Sample(now, report.status().name(), services);
        synchronized (samples) {
            samples.addLast(sample);
            Instant oldest = now.minus(window);
            while (!samples.isEmpty() && samples.peekFirst().at().isBefore(oldest)) {
                samples.removeFirst();
            }
        }
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            // One lost sample leaves a gap in the chart; throwing would cancel every later one.
            LOG.warn("health history sample failed: {}", e.toString());
        }
    }

    /** The samples taken after {@code since} (all when null), oldest first. */
    public List<Sample> samples(Instant since) {
        synchronized (samples) {
            List<Sample> out = new ArrayList<>(samples.size());
            for (Sample sample : samples) {
                if (since == null || sample.at().isAfter(since)) {
                    out.add(sample);
                }
            }
            return out;
        }
    }

    /** How far back samples are kept. */
    public Duration window() {
        return window;
    }

    /** How often a sample is taken. */
    public Duration interval() {
        return interval;
    }

    /** Stops sampling; the samples taken stay readable. */
    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        if (ownsScheduler && scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Builds a {@link HealthHistory}; not thread-safe. */
    public static final class Builder {
        private final HealthAggregator health;
        private Duration window = DEFAULT_WINDOW;
        private Duration interval = DEFAULT_INTERVAL;
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;

        private Builder(HealthAggregator health) {
            this.health = Objects.requireNonNull(health, "health");
        }

        /** How far back samples are kept: in [1 min, 24 h]; default 30 min. */
        public Builder window(Duration window) {
            if (window == null || window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(Duration.ofHours(24)) > 0) {
                throw new IllegalArgumentException("window must be in [PT1M, PT24H] but was " + window);
            }
            this.window = window;
            return this;
        }

        /** How often a sample is taken: in [100 ms, 5 min]; default 5 s. */
        public Builder interval(Duration interval) {
            if (interval == null || interval.toMillis() < 100 || interval.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("interval must be in [PT0.1S, PT5M] but was " + interval);
            }
            this.interval = interval;
            return this;
        }

        /** The clock of sample times; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The scheduler sampling runs on; default one daemon thread of the history's own. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Builds the history (not sampling yet; call {@link HealthHistory#start()}).
         *
         * @throws IllegalArgumentException when the window holds more than 100000 intervals
         */
        public HealthHistory build() {
            if (window.toMillis() / interval.toMillis() > 100_000) {
                throw new IllegalArgumentException("window / interval must be at most 100000 samples but was "
                        + window + " / " + interval);
            }
            return new HealthHistory(this);
        }
    }
}
