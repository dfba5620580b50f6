package org.projectbeacon.health.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.projectbeacon.health.HealthAggregator;
import org.projectbeacon.health.HealthReport;
import org.projectbeacon.health.HealthResult;
import org.projectbeacon.health.HealthStatus;
import org.projectbeacon.health.ServiceHealth;
import org.projectbeacon.resilience.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link HealthAggregator} of {@link HealthAggregator#builder()}. */
public final class ScheduledHealthAggregator implements HealthAggregator {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledHealthAggregator.class);

    private final List<CheckState> checks;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService executor;
    private final boolean ownsScheduler;
    private final boolean ownsExecutor;
    private final AtomicBoolean started = new AtomicBoolean();
    private final List<ScheduledFuture<?>> schedules = new ArrayList<>();
    private volatile HealthReport report;

    /** Use {@link HealthAggregator#builder()}; null executors make the aggregator own its own. */
    public ScheduledHealthAggregator(
            List<Registration> registrations, Clock clock, ScheduledExecutorService scheduler, ExecutorService executor) {
        this.clock = clock;
        this.ownsScheduler = scheduler == null;
        this.scheduler = ownsScheduler
                ? Executors.newSingleThreadScheduledExecutor(new DaemonThreads("beacon-health-scheduler"))
                : scheduler;
        this.ownsExecutor = executor == null;
        this.executor = ownsExecutor ? Executors.newCachedThreadPool(new DaemonThreads("beacon-health-check")) : executor;
        List<CheckState> states = new ArrayList<>();
        for (Registration registration : registrations) {
            states.add(new CheckState(registration));
        }
        this.checks = List.copyOf(states);
        this.report = buildReport();
    }

    @Override
    public HealthAggregator start() {
        if (started.compareAndSet(false, true)) {
            for (CheckState state : checks) {
                scheduleRun(state, Duration.ZERO);
            }
        }
        return this;
    }

    private void scheduleRun(CheckState state, Duration delay) {
        if (!started.get() || scheduler.isShutdown()) {
            return;
        }
        synchronized (schedules) {
            schedules.removeIf(ScheduledFuture::isDone);
            schedules.add(scheduler.schedule(() -> run(state).whenComplete((ignored, failure) ->
                    scheduleRun(state, state.registration.options().interval())),
                    delay.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    @Override
    public HealthReport report() {
        return report;
    }

    @Override
    public HealthReport refreshNow() {
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (CheckState state : checks) {
            runs.add(run(state));
        }
        for (CompletableFuture<Void> run : runs) {
            try {
                run.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                // run() records every failure as a result; nothing else can complete it exceptionally.
                LOG.warn("health run failed unexpectedly: {}", e.getCause().toString());
            }
        }
        return report;
    }

    /**
     * Runs one check under its timeout. The returned stage completes when a result is recorded:
     * the check's own, or DOWN when the timeout fires first; it never completes exceptionally.
     */
    private CompletableFuture<Void> run(CheckState state) {
        CompletableFuture<Void> recorded = new CompletableFuture<>();
        long startNanos = System.nanoTime();
        CompletableFuture<HealthResult> result;
        // A background run and refreshNow() may reach here together: look and start under one lock,
        // or a hanging check could be started twice.
        synchronized (state) {
            CompletableFuture<HealthResult> inFlight = state.inFlight;
            if (inFlight != null && !inFlight.isDone()) {
                result = null;
            } else {
                result = CompletableFuture.supplyAsync(() -> start(state), executor).thenCompose(stage -> stage);
                state.inFlight = result;
            }
        }
        if (result == null) {
            // The previous run still hangs: report it as timed out again rather than pile up threads.
            record(state, timedOut(state), state.registration.options().timeout());
            recorded.complete(null);
            return recorded;
        }
        AtomicBoolean done = new AtomicBoolean();
        Duration timeout = state.registration.options().timeout();
        ScheduledFuture<?> timer = scheduler.schedule(() -> {
            if (done.compareAndSet(false, true)) {
                record(state, timedOut(state), timeout);
                recorded.complete(null);
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((value, failure) -> {
            if (done.compareAndSet(false, true)) {
                timer.cancel(false);
                HealthResult outcome;
                if (failure != null) {
                    outcome = HealthResult.down(unwrap(failure));
                } else if (value == null) {
                    outcome = HealthResult.down("check returned no result");
                } else {
                    outcome = value;
                }
                record(state, outcome, Duration.ofNanos(System.nanoTime() - startNanos));
                recorded.complete(null);
            }
        });
        return recorded;
    }

    private static CompletionStage<HealthResult> start(CheckState state) {
        CompletionStage<HealthResult> stage = state.registration.check().check();
        if (stage == null) {
            return CompletableFuture.completedFuture(HealthResult.down("check returned no result"));
        }
        return stage;
    }

    private static HealthResult timedOut(CheckState state) {
        return HealthResult.down("timed out after " + state.registration.options().timeout().toMillis() + " ms");
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof java.util.concurrent.CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private void record(CheckState state, HealthResult result, Duration latency) {
        synchronized (state) {
            state.apply(result, latency, clock.instant());
        }
        report = buildReport();
    }

    private HealthReport buildReport() {
        List<ServiceHealth> services = new ArrayList<>(checks.size());
        Instant newest = null;
        for (CheckState state : checks) {
            ServiceHealth health = state.current;
            services.add(health);
            if (health.checkedAt() != null && (newest == null || health.checkedAt().isAfter(newest))) {
                newest = health.checkedAt();
            }
        }
        return new HealthReport(HealthReport.rollUp(services), newest == null ? clock.instant() : newest, services);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void close() {
        started.set(false);
        synchronized (schedules) {
            schedules.forEach(schedule -> schedule.cancel(false));
            schedules.clear();
        }
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
        if (ownsExecutor) {
            executor.shutdownNow();
        }
    }

    /** One check's damping state; guarded by its own monitor. */
    private static final class CheckState {
        final Registration registration;
        volatile ServiceHealth current;
        volatile CompletableFuture<HealthResult> inFlight;
        private int consecutiveFailures;
        private int consecutiveSuccesses;

        CheckState(Registration registration) {
            this.registration = registration;
            this.current = new ServiceHealth(registration.name(), HealthStatus.UNKNOWN,
                    registration.options().critical(), null, null, null, null, null);
        }

        /**
         * Flap damping: the first result is taken as it is; after that a healthy check turns DOWN only
         * after {@code failuresToDown} DOWN results in a row, and a DOWN check comes back only after
         * {@code successesToUp} good results in a row. UP and DEGRADED follow each other at once.
         */
        void apply(HealthResult result, Duration latency, Instant now) {
            boolean failed = result.status() == HealthStatus.DOWN;
            if (failed) {
                consecutiveFailures++;
                consecutiveSuccesses = 0;
            } else {
                consecutiveSuccesses++;
                consecutiveFailures = 0;
            }
            HealthStatus previous = current.status();
            HealthStatus reported;
            if (previous == HealthStatus.UNKNOWN) {
                reported = result.status();
            } else if (previous == HealthStatus.DOWN) {
                reported = !failed && consecutiveSuccesses >= registration.options().successesToUp()
                        ? result.status() : HealthStatus.DOWN;
            } else if (failed) {
                reported = consecutiveFailures >= registration.options().failuresToDown() ? HealthStatus.DOWN : previous;
            } else {
                reported = result.status();
            }
            if (reported != previous && previous != HealthStatus.UNKNOWN) {
                LOG.info("health check {} changed from {} to {}{}", registration.name(), previous, reported,
                        result.error() == null ? "" : ": " + result.error());
            }
            // When damping holds a status, say so: "DOWN, error null" would send on-call the wrong way.
            String error = result.error();
            if (reported == HealthStatus.DOWN && !failed) {
                error = "recovering: " + consecutiveSuccesses + " of " + registration.options().successesToUp()
                        + " good results in a row";
            } else if (reported != HealthStatus.DOWN && failed) {
                error = error + " (failure " + consecutiveFailures + " of " + registration.options().failuresToDown()
                        + " before DOWN)";
            }
            current = new ServiceHealth(registration.name(), reported, registration.options().critical(), latency,
                    error, result.breaker(), result.details(), now);
        }
    }
}
