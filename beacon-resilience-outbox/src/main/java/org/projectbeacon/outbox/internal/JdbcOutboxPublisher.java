package org.projectbeacon.outbox.internal;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.projectbeacon.outbox.AckMode;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxMetrics;
import org.projectbeacon.outbox.OutboxPublisher;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.PublisherConfig;
import org.projectbeacon.outbox.PublisherStatus;
import org.projectbeacon.outbox.SendResult;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.outbox.spi.OutboxSink;
import org.projectbeacon.resilience.Guard;
import org.projectbeacon.resilience.GuardRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JDBC publisher; see {@link OutboxPublisher}. */
public final class JdbcOutboxPublisher implements OutboxPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcOutboxPublisher.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final DataSource dataSource;
    private final OutboxConfig outbox;
    private final OutboxSink sink;
    private final PublisherConfig config;
    private final Guard guard;
    private final GuardRegistry ownedRegistry;
    private final OutboxMetrics metrics;
    private final ThreadFactory threadFactory;
    private final DialectBound<PublisherStore> store;
    private final DialectBound<MonitorStore> backlog;
    private final Wakeup wakeup = new Wakeup();
    private final ClaimFloor claimFloor;

    private final Object lifecycle = new Object();
    private volatile boolean running;
    private List<Thread> threads = List.of();
    private volatile Connection listenerConnection;
    private volatile Instant lastSuccess;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    /** See {@link OutboxPublisher.Builder}; does no I/O (a dialect left to detect is detected by {@link #start()}). */
    public JdbcOutboxPublisher(DataSource dataSource, OutboxConfig outbox, OutboxSink sink, PublisherConfig config,
            Guard guard, OutboxMetrics metrics, ThreadFactory threadFactory) {
        this.dataSource = dataSource;
        this.outbox = outbox;
        this.sink = sink;
        this.config = config;
        if (guard == null) {
            this.ownedRegistry = GuardRegistry.builder().clock(outbox.clock()).build();
            this.guard = ownedRegistry.guard("outbox-sink", PublisherConfig.DEFAULT_GUARD_CONFIG);
        } else {
            this.ownedRegistry = null;
            this.guard = guard;
        }
        this.metrics = metrics;
        this.threadFactory = threadFactory != null ? threadFactory : r -> {
            Thread t = new Thread(r, "beacon-outbox-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        Clock leaseClock = config.leaseClock().orElse(null);
        this.store = new DialectBound<>(outbox, o -> new PublisherStore(o, leaseClock, config.fastBookkeepingCommit()));
        this.backlog = new DialectBound<>(outbox, MonitorStore::new);
        this.claimFloor = new ClaimFloor(config.fullClaimInterval().toNanos());
    }

    /**
     * The configuration with its dialect, detected now when it was left to detect. An unreachable
     * database defers detection to the workers (which retry their connection); an unsupported one
     * fails here, naming its product.
     */
    private OutboxConfig resolvedOutbox() {
        if (outbox.configuredDialect().isPresent()) {
            return outbox;
        }
        try {
            return outbox.withDetectedDialect(dataSource);
        } catch (SQLException e) {
            LOG.warn("outbox publisher could not detect the database dialect yet, the workers will: {}", e.toString());
            return outbox;
        }
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (running) {
                throw new IllegalStateException("publisher is already running");
            }
            OutboxConfig resolved = resolvedOutbox();
            running = true;
            List<Thread> started = new ArrayList<>();
            for (int i = 0; i < config.workers(); i++) {
                String owner = config.owner() + "#" + i;
                started.add(threadFactory.newThread(() -> work(owner)));
            }
            // LISTEN/NOTIFY only speeds up the wake-up: with the dialect still unknown, workers poll.
            if (config.listenNotify() && resolved.configuredDialect().map(OutboxDialect::supportsListenNotify).orElse(false)) {
                started.add(threadFactory.newThread(this::listen));
            }
            threads = List.copyOf(started);
            threads.forEach(Thread::start);
        }
    }

    @Override
    public boolean stop(Duration timeout) {
        List<Thread> toJoin;
        synchronized (lifecycle) {
            if (!running) {
                return true;
            }
            running = false;
            toJoin = threads;
            threads = List.of();
        }
        wakeup.signal();
        closeQuietly(listenerConnection); // unblocks getNotifications
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        for (Thread t : toJoin) {
            try {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    t.join(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            all &= !t.isAlive();
        }
        return all;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public PublisherStatus status() {
        long backlog;
        try (Connection c = dataSource.getConnection()) {
            backlog = this.backlog.get(c).stats(c, Long.MIN_VALUE).unpublished();
        } catch (SQLException | RuntimeException e) {
            backlog = -1;
        }
        return new PublisherStatus(running, Optional.ofNullable(lastSuccess), Optional.ofNullable(lastError),
                Optional.ofNullable(lastErrorAt), backlog, guard.circuitBreaker().getState().name());
    }

    @Override
    public Guard guard() {
        return guard;
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
        if (ownedRegistry != null) {
            ownedRegistry.close();
        }
    }

    /** Wakes idle workers now; the listener calls it, and so may tests or callers that just committed. */
    public void wakeUp() {
        wakeup.signal();
    }

    private void work(String owner) {
        Connection c = null;
        while (running) {
            try {
                if (!guard.permitsCalls()) {
                    // Breaker open: claiming would only move leases around. Wait instead of spinning.
                    wakeup.pause(config.pollInterval());
                    askForHalfOpen();
                    continue;
                }
                if (c == null) {
                    c = dataSource.getConnection();
                }
                PublisherStore s = store.get(c);
                long now = outbox.clock().millis();
                ClaimFloor.Start from = claimFloor.from(System.nanoTime());
                PublisherStore.Claim claim = s.claim(c, owner, config.batchSize(), now, config.leaseDuration(),
                        from.fromSeq());
                claimFloor.claimed(from, claim.rows().size(), config.batchSize(),
                        claim.isEmpty() ? 0 : claim.rows().get(0).seq(), System.nanoTime());
                if (claim.isEmpty() && !from.full()) {
                    continue; // nothing after the floor: the next claim is a full one, at once
                }
                if (claim.isEmpty()) {
                    if (config.ackMode() != AckMode.DELETE) {
                        s.purgePublished(c, now - config.retention().toMillis());
                    }
                    if (!probedWhileHalfOpen(owner)) {
                        wakeup.await(config.pollInterval());
                    }
                    continue;
                }
                if (claim.reclaimed() > 0) {
                    metrics.reclaimed(claim.reclaimed());
                    LOG.warn("outbox publisher {} reclaimed {} rows whose lease expired", owner, claim.reclaimed());
                }
                publish(c, s, claim);
            } catch (SQLException | RuntimeException e) {
                error(e);
                LOG.warn("outbox publisher {} failed: {}", owner, e.toString());
                closeQuietly(c);
                c = null;
                wakeup.pause(config.pollInterval());
            }
        }
        closeQuietly(c);
    }

    /**
     * A breaker configured without the automatic transition stays OPEN until someone asks it for a
     * permission after its wait (resilience4j moves it to HALF_OPEN then). Nobody else asks while
     * the workers wait, so ask here, and hand the permission back at once: the probe or batch that
     * follows goes through the guard and is what the breaker records.
     */
    private void askForHalfOpen() {
        CircuitBreaker breaker = guard.circuitBreaker();
        if (breaker.getState() == CircuitBreaker.State.OPEN
                && !breaker.getCircuitBreakerConfig().isAutomaticTransitionFromOpenToHalfOpenEnabled()
                && breaker.tryAcquirePermission()) {
            breaker.releasePermission();
        }
    }

    /**
     * While the breaker is HALF_OPEN it closes only after its permitted number of calls, and with an
     * empty outbox no batch would ever make them: the breaker would stay half-open (and readiness
     * degraded) until traffic came. So with nothing claimed, probe the sink through the guard.
     *
     * @return whether a probe was made (the caller then loops at once instead of idling)
     */
    private boolean probedWhileHalfOpen(String owner) {
        if (guard.circuitBreaker().getState() != CircuitBreaker.State.HALF_OPEN) {
            return false;
        }
        try {
            guard.call(() -> {
                sink.probe();
                return null;
            });
        } catch (CallNotPermittedException e) {
            // Other workers hold the half-open permissions; their outcome decides. Wait for it.
            wakeup.pause(config.pollInterval());
        } catch (Exception e) {
            error(e);
            LOG.warn("outbox publisher {}: sink probe failed while the breaker is half-open: {}", owner, e.toString());
            wakeup.pause(config.pollInterval());
        }
        return true;
    }

    private void publish(Connection c, PublisherStore store, PublisherStore.Claim claim) throws SQLException {
        List<OutboxRecord> records = new ArrayList<>(claim.rows().size());
        for (PublisherStore.ClaimedRow row : claim.rows()) {
            records.add(row.record());
        }
        List<SendResult> results;
        try {
            results = guard.call(() -> sink.send(records));
            if (results.size() != records.size()) {
                throw new IllegalStateException("sink returned " + results.size() + " results for " + records.size() + " messages");
            }
        } catch (Exception e) {
            // The destination is unavailable: no message is at fault, so no attempt is counted.
            error(e);
            LOG.warn("outbox sink unavailable, released {} rows: {}", records.size(), e.toString());
            store.release(c, claim.token(), e, outbox.clock().millis());
            if (running) {
                wakeup.pause(config.pollInterval());
            }
            return;
        }
        long now = outbox.clock().millis();
        List<Long> sent = new ArrayList<>(records.size());
        List<String> entryIds = new ArrayList<>(records.size());
        List<PublisherStore.Failure> retries = new ArrayList<>();
        List<PublisherStore.Failure> dead = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            SendResult r = results.get(i);
            PublisherStore.ClaimedRow row = claim.rows().get(i);
            if (r.isSuccess()) {
                sent.add(row.seq());
                entryIds.add(r.entryId());
                continue;
            }
            int attempts = row.record().attempts() + 1;
            if (attempts >= config.maxAttempts() || config.nonRetryable().test(r.failure())) {
                dead.add(new PublisherStore.Failure(row.seq(), r.failure(), 0));
            } else {
                retries.add(new PublisherStore.Failure(row.seq(), r.failure(), now + config.jitteredBackoff(attempts).toMillis()));
            }
        }
        int acked = store.acknowledge(c, claim.token(), sent, entryIds, config.ackMode(), now);
        if (acked < sent.size()) {
            LOG.warn("outbox acknowledgement rejected for {} of {} rows: their lease expired and was reclaimed",
                    sent.size() - acked, sent.size());
        }
        if (acked > 0) {
            metrics.published(acked);
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).isSuccess()) {
                    metrics.latency(Duration.ofMillis(now - records.get(i).createdAt().toEpochMilli()));
                }
            }
            lastSuccess = Instant.ofEpochMilli(now);
        }
        if (!retries.isEmpty()) {
            store.fail(c, claim.token(), retries);
            metrics.failed(retries.size());
            error(retries.get(0).error());
        }
        if (!dead.isEmpty()) {
            int moved = store.deadLetter(c, claim.token(), dead, now);
            metrics.failed(dead.size());
            metrics.deadLettered(moved);
            error(dead.get(0).error());
            LOG.warn("outbox moved {} messages to the dead letter queue, first error: {}", moved, dead.get(0).error().toString());
        }
    }

    private void error(Throwable e) {
        lastError = e.getClass().getName() + ": " + e.getMessage();
        lastErrorAt = outbox.clock().instant();
    }

    private void listen() {
        while (running) {
            try {
                PgNotificationListener.listen(dataSource, outbox.notifyChannel(), config.pollInterval(),
                        () -> running, wakeup::signal, c -> listenerConnection = c);
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warn("outbox LISTEN connection failed, polling meanwhile: {}", e.toString());
                    wakeup.pause(config.pollInterval());
                }
            } finally {
                listenerConnection = null;
            }
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                // Closing a broken connection may fail; there is nothing left to release.
            }
        }
    }
}
