package org.projectbeacon.outbox;

import static org.projectbeacon.outbox.OutboxMetricCatalog.description;
import static org.projectbeacon.outbox.OutboxMetricCatalog.LEDGER_EXPIRED_LEASES;
import static org.projectbeacon.outbox.OutboxMetricCatalog.LEDGER_TAKEOVERS;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.projectbeacon.outbox.internal.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processing ledger's meters: the counter {@code outbox.ledger.takeovers} (the ledger's
 * {@link ProcessingLedger#takeovers()}) and the gauge {@code outbox.ledger.expired.leases}, which
 * reads the count of the last {@link #refresh()} (0 before the first), so that a scrape never
 * queries the database. {@link #start()} refreshes in the background on the injected scheduler.
 *
 * <p>Thread-safe. A failed refresh keeps the previous count and is logged;
 * {@link #lastRefreshError()} tells it.
 */
public final class LedgerMetrics implements MeterBinder, AutoCloseable {

    /** Default refresh interval: 15 s, as the outbox monitor's. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(15);

    private static final Logger LOG = LoggerFactory.getLogger(LedgerMetrics.class);

    private final ProcessingLedger ledger;
    private final PeriodicTask refreshes;
    private final AtomicLong expiredLeases = new AtomicLong();
    private volatile Exception lastRefreshError;

    private LedgerMetrics(Builder b) {
        this.ledger = b.ledger;
        this.refreshes = new PeriodicTask("the ledger metrics' background refreshes", b.scheduler, b.refreshInterval,
                this::refresh, e -> {
                    lastRefreshError = e;
                    LOG.warn("ledger metrics refresh failed, keeping the previous count: {}", e.toString());
                });
    }

    /** A builder for the meters of {@code ledger}. */
    public static Builder builder(ProcessingLedger ledger) {
        return new Builder(ledger);
    }

    /**
     * Counts the expired leases now (one query) and keeps the count for the gauge.
     *
     * @throws SQLException when the query fails; the previous count is kept
     */
    public long refresh() throws SQLException {
        long n = ledger.expiredLeases();
        expiredLeases.set(n);
        lastRefreshError = null;
        return n;
    }

    /** The expired leases counted by the last successful refresh, 0 before the first. */
    public long expiredLeases() {
        return expiredLeases.get();
    }

    /** The error of the last refresh if it failed. */
    public Optional<Exception> lastRefreshError() {
        return Optional.ofNullable(lastRefreshError);
    }

    /**
     * Schedules {@link #refresh()} every refresh interval on the injected scheduler, first at once.
     *
     * @throws IllegalStateException when started already or built without a scheduler
     */
    public void start() {
        refreshes.start();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder(LEDGER_TAKEOVERS, ledger, ProcessingLedger::takeovers)
                .description(description(LEDGER_TAKEOVERS)).register(registry);
        Gauge.builder(LEDGER_EXPIRED_LEASES, expiredLeases, AtomicLong::get)
                .description(description(LEDGER_EXPIRED_LEASES)).register(registry);
    }

    /** Cancels the background refresh; the scheduler stays the caller's. */
    @Override
    public void close() {
        refreshes.close();
    }

    /** Builds {@link LedgerMetrics}. Not thread-safe. */
    public static final class Builder {
        private final ProcessingLedger ledger;
        private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;
        private ScheduledExecutorService scheduler;

        private Builder(ProcessingLedger ledger) {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
        }

        /** Background refresh interval; at least 1 ms; default {@link #DEFAULT_REFRESH_INTERVAL}. */
        public Builder refreshInterval(Duration refreshInterval) {
            if (refreshInterval == null || refreshInterval.toMillis() < 1) {
                throw new IllegalArgumentException("refreshInterval must be at least 1 ms but was " + refreshInterval);
            }
            this.refreshInterval = refreshInterval;
            return this;
        }

        /** The scheduler of background refreshes; required for {@link LedgerMetrics#start()}. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Builds the meters, not started. */
        public LedgerMetrics build() {
            return new LedgerMetrics(this);
        }
    }
}
