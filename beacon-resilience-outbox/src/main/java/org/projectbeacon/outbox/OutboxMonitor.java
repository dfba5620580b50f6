package org.projectbeacon.outbox;

import static org.projectbeacon.outbox.OutboxMetricCatalog.description;
import static org.projectbeacon.outbox.OutboxMetricCatalog.DEAD_LETTER_COUNT;
import static org.projectbeacon.outbox.OutboxMetricCatalog.OLDEST_UNPUBLISHED_AGE;
import static org.projectbeacon.outbox.OutboxMetricCatalog.SECONDS;
import static org.projectbeacon.outbox.OutboxMetricCatalog.UNPUBLISHED_COUNT;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.projectbeacon.outbox.internal.DialectBound;
import org.projectbeacon.outbox.internal.MonitorStore;
import org.projectbeacon.outbox.internal.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stuck-job detection: refreshes the outbox figures in the background and serves them to gauges and
 * to the detector, so that a Prometheus scrape or a health check never queries the database.
 *
 * <p>Gauges: {@code outbox.unpublished.count}, {@code outbox.oldest.unpublished.age} (seconds) and
 * {@code outbox.dead.letter.count}; they read 0 before the first refresh. The detector reports
 * "stuck" when more than {@link #DEFAULT_STUCK_MESSAGES} (N) messages are older than
 * {@link #DEFAULT_STUCK_AGE} (T), both configurable, ages read from the injected clock.
 *
 * <p>Building does no I/O; a dialect left to detect in the {@link OutboxConfig} is detected by the
 * first refresh.
 *
 * <p>Thread-safe. A failed refresh keeps the previous figures and is logged; {@link #lastRefreshError()}
 * tells it (an unsupported database product included, as an {@link IllegalArgumentException}).
 */
public final class OutboxMonitor implements MeterBinder, AutoCloseable {

    /** Default N: {@value}. */
    public static final int DEFAULT_STUCK_MESSAGES = 10;
    /** Default T: 5 minutes. */
    public static final Duration DEFAULT_STUCK_AGE = Duration.ofMinutes(5);
    /** Default refresh interval: 15 s. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(15);

    private static final Logger LOG = LoggerFactory.getLogger(OutboxMonitor.class);

    private final DataSource dataSource;
    private final OutboxConfig config;
    private final DialectBound<MonitorStore> store;
    private final int stuckMessages;
    private final Duration stuckAge;
    private final PeriodicTask refreshes;
    private volatile OutboxSnapshot snapshot;
    private volatile Exception lastRefreshError;

    private OutboxMonitor(Builder b) {
        this.dataSource = b.dataSource;
        this.config = b.config;
        this.store = new DialectBound<>(b.config, MonitorStore::new);
        this.stuckMessages = b.stuckMessages;
        this.stuckAge = b.stuckAge;
        this.refreshes = new PeriodicTask("the outbox monitor's background refreshes", b.scheduler, b.refreshInterval,
                this::refresh, e -> {
                    lastRefreshError = e;
                    LOG.warn("outbox monitor refresh failed, keeping previous figures: {}", e.toString());
                });
    }

    /** A builder for the outbox of {@code config} in {@code dataSource}. */
    public static Builder builder(DataSource dataSource, OutboxConfig config) {
        return new Builder(dataSource, config);
    }

    /** Reads the figures now (one short query batch) and returns them. */
    public OutboxSnapshot refresh() throws SQLException {
        Instant now = config.clock().instant();
        try (Connection c = dataSource.getConnection()) {
            MonitorStore.Stats s = store.get(c).stats(c, now.minus(stuckAge).toEpochMilli());
            OutboxSnapshot taken = new OutboxSnapshot(now, s.unpublished(), Optional.ofNullable(s.oldestCreatedAt()),
                    s.olderThanThreshold(), s.deadLetters());
            snapshot = taken;
            lastRefreshError = null;
            return taken;
        }
    }

    /**
     * Schedules {@link #refresh()} every refresh interval on the injected scheduler, first at once.
     *
     * @throws IllegalStateException when started already or built without a scheduler
     */
    public void start() {
        refreshes.start();
    }

    /** The figures of the last successful refresh. */
    public Optional<OutboxSnapshot> latest() {
        return Optional.ofNullable(snapshot);
    }

    /** The error of the last refresh if it failed. */
    public Optional<Exception> lastRefreshError() {
        return Optional.ofNullable(lastRefreshError);
    }

    /** The detector's verdict on the last refresh; never queries the database. */
    public StuckJobReport stuckJobs() {
        OutboxSnapshot s = snapshot;
        if (s == null) {
            return new StuckJobReport(false, 0, stuckMessages, stuckAge, Duration.ZERO, Instant.EPOCH);
        }
        return new StuckJobReport(s.olderThanStuckAge() > stuckMessages, s.olderThanStuckAge(), stuckMessages, stuckAge,
                s.oldestAge(), s.takenAt());
    }

    /** Largest {@code limit} of {@link #unpublished(int)}: {@value}. */
    public static final int MAX_LISTED = 1000;

    /**
     * The oldest unpublished messages, up to {@code limit}, oldest first, each marked stuck when older
     * than the stuck age T. Unlike the figures, this reads the database now (one indexed query).
     *
     * @throws IllegalArgumentException when {@code limit} is not in [1, {@value #MAX_LISTED}]
     * @throws SQLException when the database fails; nothing is cached
     */
    public List<UnpublishedMessage> unpublished(int limit) throws SQLException {
        if (limit < 1 || limit > MAX_LISTED) {
            throw new IllegalArgumentException("limit must be in [1, " + MAX_LISTED + "] but was " + limit);
        }
        Instant now = config.clock().instant();
        List<UnpublishedMessage> listed = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (MonitorStore.Unpublished row : store.get(c).unpublished(c, limit)) {
                Instant created = Instant.ofEpochMilli(row.createdAt());
                Duration age = now.isAfter(created) ? Duration.between(created, now) : Duration.ZERO;
                // lease_until may be on the database's clock (the default); a lease at all is what matters here.
                listed.add(new UnpublishedMessage(row.id(), row.stream(), row.key(), created, age, row.attempts(),
                        Instant.ofEpochMilli(row.availableAt()), row.lastError(), row.leaseUntil() != null,
                        age.compareTo(stuckAge) > 0));
            }
        }
        return listed;
    }

    /**
     * Makes the unpublished message {@code id} due now: a retry backoff or delay it waits on ends and
     * the next poll of a running publisher sends it (the runbook's "republish"); its attempts and any
     * lease stay as they are, so a publisher sending it right now is not disturbed and per-key order
     * still holds. A stopped publisher sends nothing until started.
     *
     * @return false when no unpublished message has this id (published, dead-lettered or unknown)
     * @throws SQLException when the database fails
     */
    public boolean makeDue(UUID id) throws SQLException {
        Objects.requireNonNull(id, "id");
        try (Connection c = dataSource.getConnection()) {
            boolean updated = store.get(c).makeDue(c, id, config.clock().millis());
            if (!c.getAutoCommit()) {
                c.commit(); // a pool handing out manual-commit connections would otherwise roll it back
            }
            return updated;
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(UNPUBLISHED_COUNT, this, m -> m.latest().map(OutboxSnapshot::unpublished).orElse(0L))
                .description(description(UNPUBLISHED_COUNT)).register(registry);
        Gauge.builder(OLDEST_UNPUBLISHED_AGE, this, m -> m.latest().map(s -> s.oldestAge().toMillis() / 1000.0).orElse(0.0))
                .baseUnit(SECONDS).description(description(OLDEST_UNPUBLISHED_AGE)).register(registry);
        Gauge.builder(DEAD_LETTER_COUNT, this, m -> m.latest().map(OutboxSnapshot::deadLetters).orElse(0L))
                .description(description(DEAD_LETTER_COUNT)).register(registry);
    }

    /** Cancels the background refresh; the scheduler stays the caller's. */
    @Override
    public void close() {
        refreshes.close();
    }

    /** Builds an {@link OutboxMonitor}. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private final OutboxConfig config;
        private int stuckMessages = DEFAULT_STUCK_MESSAGES;
        private Duration stuckAge = DEFAULT_STUCK_AGE;
        private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;
        private ScheduledExecutorService scheduler;

        private Builder(DataSource dataSource, OutboxConfig config) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.config = Objects.requireNonNull(config, "config");
        }

        /** N: stuck when more than this many messages are too old; at least 0; default {@value OutboxMonitor#DEFAULT_STUCK_MESSAGES}. */
        public Builder stuckMessages(int stuckMessages) {
            if (stuckMessages < 0) {
                throw new IllegalArgumentException("stuckMessages must not be negative but was " + stuckMessages);
            }
            this.stuckMessages = stuckMessages;
            return this;
        }

        /** T: the age beyond which an unpublished message counts; positive; default 5 min. */
        public Builder stuckAge(Duration stuckAge) {
            if (stuckAge == null || stuckAge.isNegative() || stuckAge.isZero()) {
                throw new IllegalArgumentException("stuckAge must be positive but was " + stuckAge);
            }
            this.stuckAge = stuckAge;
            return this;
        }

        /** Background refresh interval; positive; default 15 s. */
        public Builder refreshInterval(Duration refreshInterval) {
            if (refreshInterval == null || refreshInterval.isNegative() || refreshInterval.isZero()) {
                throw new IllegalArgumentException("refreshInterval must be positive but was " + refreshInterval);
            }
            this.refreshInterval = refreshInterval;
            return this;
        }

        /** The scheduler of background refreshes; required for {@link OutboxMonitor#start()}. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Builds the monitor, not started. */
        public OutboxMonitor build() {
            return new OutboxMonitor(this);
        }
    }
}
