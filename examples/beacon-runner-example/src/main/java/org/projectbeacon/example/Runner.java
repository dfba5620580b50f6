package org.projectbeacon.example;

import io.lettuce.core.RedisClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.projectbeacon.example.faults.Faults;
import org.projectbeacon.example.http.FaultRoutes;
import org.projectbeacon.example.http.JobRoutes;
import org.projectbeacon.example.ipfs.BundleStore;
import org.projectbeacon.example.ipfs.HttpIpfs;
import org.projectbeacon.example.ipfs.SimulatedIpfs;
import org.projectbeacon.example.jobs.JobStore;
import org.projectbeacon.example.jobs.JobWorker;
import org.projectbeacon.example.providers.SimulatedMarket;
import org.projectbeacon.health.CheckOptions;
import org.projectbeacon.health.HealthAggregator;
import org.projectbeacon.health.checks.BreakerHealthCheck;
import org.projectbeacon.health.checks.JdbcHealthCheck;
import org.projectbeacon.health.checks.RedisHealthCheck;
import org.projectbeacon.health.http.BeaconEndpoints;
import org.projectbeacon.health.http.BeaconHttpServer;
import org.projectbeacon.health.http.Route;
import org.projectbeacon.health.outbox.OutboxBacklogCheck;
import org.projectbeacon.health.outbox.OutboxRoutes;
import org.projectbeacon.outbox.DeadLetterQueue;
import org.projectbeacon.outbox.InProcessSink;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxMetrics;
import org.projectbeacon.outbox.OutboxMonitor;
import org.projectbeacon.outbox.OutboxPublisher;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.PublisherConfig;
import org.projectbeacon.outbox.RedisSinkConfig;
import org.projectbeacon.outbox.RedisStreamSink;
import org.projectbeacon.outbox.SendResult;
import org.projectbeacon.outbox.StreamConsumer;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.outbox.spi.OutboxSink;
import org.projectbeacon.resilience.DaemonThreads;
import org.projectbeacon.resilience.GuardRegistry;
import org.projectbeacon.resilience.GuardSettings;
import org.projectbeacon.resilience.RegionFallback;
import org.projectbeacon.resilience.metrics.RunnerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example runner, assembled from every Beacon module: jobs accepted over HTTP into a table and
 * the outbox in one transaction, published to a stream (Redis, or in-process on the embedded
 * default), executed by workers through guards with region fallback, watched by health checks and
 * metrics, and steered by the admin API and the runbook drills' faults.
 *
 * <p>{@link #start(RunnerConfig)} returns a running runner; {@link #close()} stops it.
 */
public final class Runner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);

    /** The regions providers are negotiated in, in order of preference. */
    public static final List<String> REGIONS = List.of("lhr", "fra", "ams");
    /** Attempts per job before it fails for good. */
    public static final int MAX_ATTEMPTS = 3;
    /** Database connections of the runner's pool: the publisher's worker and listener hold two. */
    static final int POOL_SIZE = 10;

    private final RunnerConfig config;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Faults faults = new Faults();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RunnerMetrics metrics = RunnerMetrics.create();
    private GuardRegistry guards;
    private JobStore jobs;
    private OutboxPublisher publisher;
    private OutboxMonitor monitor;
    private BeaconHttpServer server;
    private DataSource dataSource;

    private Runner(RunnerConfig config) {
        this.config = config;
    }

    /**
     * Starts a runner.
     *
     * @throws Exception when the database, Redis or the port cannot be reached; the runner then
     *     releases whatever it had started
     */
    public static Runner start(RunnerConfig config) throws Exception {
        Runner runner = new Runner(config);
        try {
            runner.startAll();
            return runner;
        } catch (Exception e) {
            runner.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        LOG.info("starting the Beacon runner example: {}", config);
        metrics.bindTo(prometheus);

        HikariDataSource pool = dataSource(config.dbUrl(), config.prefix());
        closeables.add(pool);
        dataSource = pool;
        OutboxDialect dialect = config.dbUrl() == null || config.dbUrl().startsWith("jdbc:h2:")
                ? OutboxDialect.h2() : OutboxDialect.postgresql();
        jobs = new JobStore(dataSource, config.clock(), config.prefix());
        jobs.migrate();
        OutboxConfig outboxConfig = OutboxConfig.builder()
                .dialect(dialect)
                .tablePrefix(config.prefix() + "_")
                .clock(config.clock())
                .build();
        Outbox outbox = Outbox.create(outboxConfig);
        outbox.migrate(dataSource);

        guards = GuardRegistry.builder().clock(config.clock()).settings(GuardSettings.fromMap(Map.of(
                "beacon.regions.golem", String.join(",", REGIONS),
                "beacon.guards.golem.sliding-window-size", "20",
                "beacon.guards.golem.minimum-number-of-calls", "10",
                "beacon.guards.golem.wait-duration-in-open-state", "10s",
                "beacon.guards.golem.retry-max-attempts", "1",
                "beacon.guards.golem.timeout", "10s",
                "beacon.guards.ipfs.timeout", "10s",
                "beacon.guards.ipfs.retry-max-attempts", "2",
                "beacon.guards.ipfs.retry-initial-interval", "50ms"))).build();
        closeables.add(guards);
        guards.metrics().bindTo(prometheus);
        RegionFallback golem = guards.regionFallback("golem");

        BundleStore bundles = config.ipfsApi() == null ? new SimulatedIpfs(faults) : new HttpIpfs(config.ipfsApi());
        JobWorker worker = new JobWorker(jobs, golem, guards.guard("ipfs"), new SimulatedMarket(faults, metrics),
                bundles, metrics, config.clock());

        String stream = config.prefix() + ":" + JobRoutes.STREAM;
        RedisClient redis = config.redisUri() == null ? null : RedisClient.create(config.redisUri());
        InProcessSink inProcess = redis == null ? new InProcessSink() : null;
        if (redis != null) {
            closeables.add(redis::shutdown);
        }
        OutboxSink faulty = new FaultySink(
                redis != null ? RedisStreamSink.create(redis, RedisSinkConfig.defaults()) : inProcess, faults);
        // Jobs that keep failing go to the outbox's dead letter queue, where on-call reviews and requeues them.
        DeadLetterQueue deadLetters = DeadLetterQueue.create(dataSource, outboxConfig, faulty);
        if (redis != null) {
            StreamConsumer consumer = StreamConsumer.builder(redis, stream, "runners", consumerName(),
                            entry -> {
                                String jobId = entry.fields().get("payload");
                                JobWorker.Outcome outcome = worker.execute(jobId, entry.deliveries() >= MAX_ATTEMPTS);
                                if (outcome.result() == JobWorker.Result.RETRY) {
                                    // Left pending, the entry is retried once another poll reclaims it.
                                    throw new IllegalStateException("job attempt failed: " + outcome.error());
                                }
                                if (outcome.result() == JobWorker.Result.FAILED) {
                                    deadLetters.add(new OutboxRecord(UUID.fromString(entry.fields().get("id")), stream,
                                            null, jobId.getBytes(StandardCharsets.UTF_8), "text/plain", Map.of(),
                                            config.clock().instant(), (int) entry.deliveries()),
                                            (int) entry.deliveries(), outcome.error());
                                }
                            })
                    .maxDeliveries(MAX_ATTEMPTS)
                    .claimIdle(Duration.ofSeconds(2))
                    .clock(config.clock())
                    .build();
            consumer.start();
            closeables.add(consumer);
        } else {
            ScheduledExecutorService workers = Executors.newScheduledThreadPool(4, new DaemonThreads("runner-worker"));
            closeables.add(workers::shutdownNow);
            inProcess.subscribe(stream, record -> runEmbedded(worker, workers, record, 1, deadLetters));
            // The in-process stream keeps what it delivered; the subscriber has it already, so drop it.
            workers.scheduleWithFixedDelay(() -> inProcess.drain(stream), 10, 10, TimeUnit.SECONDS);
        }
        OutboxMetrics outboxMetrics = OutboxMetrics.create();
        outboxMetrics.bindTo(prometheus);
        publisher = OutboxPublisher.builder(dataSource, outboxConfig, faulty)
                .config(PublisherConfig.builder()
                        .workers(2)
                        .pollInterval(Duration.ofMillis(200))
                        .maxAttempts(5)
                        .backoffInitial(Duration.ofMillis(500))
                        .backoffMax(Duration.ofSeconds(5))
                        .build())
                .guard(guards.guard("redis"))
                .metrics(outboxMetrics)
                .threadFactory(new DaemonThreads("runner-publisher"))
                .build();
        publisher.start();
        closeables.add(() -> publisher.stop(Duration.ofSeconds(5)));
        ScheduledExecutorService monitorScheduler = Executors.newSingleThreadScheduledExecutor(new DaemonThreads("runner-monitor"));
        closeables.add(monitorScheduler::shutdownNow);
        monitor = OutboxMonitor.builder(dataSource, outboxConfig)
                .refreshInterval(Duration.ofSeconds(2))
                .scheduler(monitorScheduler)
                .build();
        monitor.bindTo(prometheus);
        monitor.start();
        closeables.add(monitor);

        CheckOptions critical = CheckOptions.builder().interval(Duration.ofSeconds(2)).build();
        HealthAggregator.Builder health = HealthAggregator.builder()
                .check("database", JdbcHealthCheck.of(dataSource), critical)
                .check("golem", BreakerHealthCheck.of(golem, guards.admin()), critical)
                .check("ipfs", BreakerHealthCheck.of(guards.guard("ipfs"), guards.admin()),
                        CheckOptions.builder().interval(Duration.ofSeconds(2)).critical(false).build())
                .check("outbox", OutboxBacklogCheck.of(monitor),
                        CheckOptions.builder().interval(Duration.ofSeconds(2)).critical(false).build());
        if (redis != null) {
            health.check("redis", RedisHealthCheck.of(redis), critical);
        }
        HealthAggregator aggregator = health.build().start();
        closeables.add(aggregator);

        List<Route> routes = new ArrayList<>();
        FaultRoutes faultRoutes = new FaultRoutes(faults, this::applyFaults);
        routes.addAll(new JobRoutes(dataSource, jobs, outbox, stream, REGIONS, metrics).routes());
        routes.addAll(faultRoutes.routes());
        routes.addAll(OutboxRoutes.of(deadLetters, publisher));
        BeaconEndpoints.Builder endpoints = BeaconEndpoints.builder()
                .health(aggregator)
                .metrics(prometheus)
                .breakerAdmin(guards.admin())
                .routes(routes)
                .filter(faultRoutes.filter());
        if (config.adminToken() != null) {
            endpoints.adminToken(config.adminToken());
        } else {
            LOG.warn("the admin API is off: set BEACON_ADMIN_TOKEN to turn it on");
        }
        BeaconEndpoints built = endpoints.build();
        built.bindTo(prometheus);
        server = BeaconHttpServer.builder(built).bindAddress(config.bindAddress()).port(config.port()).build().start();
        closeables.add(server);
        LOG.info("Beacon runner example ready on http://{}:{}", config.bindAddress(), server.port());
    }

    /** Runs a job delivered in-process, retrying it on the workers' scheduler, then dead-lettering it. */
    private void runEmbedded(JobWorker worker, ScheduledExecutorService workers, OutboxRecord record, int attempt,
            DeadLetterQueue deadLetters) {
        workers.schedule(() -> {
            try {
                JobWorker.Outcome outcome = worker.execute(new String(record.payload(), StandardCharsets.UTF_8),
                        attempt >= MAX_ATTEMPTS);
                if (outcome.result() == JobWorker.Result.RETRY) {
                    runEmbedded(worker, workers, record, attempt + 1, deadLetters);
                } else if (outcome.result() == JobWorker.Result.FAILED) {
                    deadLetters.add(record, attempt, outcome.error());
                }
            } catch (Exception e) {
                LOG.warn("job {} could not be run: {}", record.id(), e.toString());
            }
        }, attempt == 1 ? 0 : 500L * attempt, TimeUnit.MILLISECONDS);
    }

    /** Pauses or resumes the publisher as the {@code publisher} fault says. */
    private void applyFaults() {
        boolean paused = faults.isOff("publisher");
        if (paused && publisher.isRunning()) {
            publisher.stop(Duration.ofSeconds(5));
        } else if (!paused && !publisher.isRunning()) {
            publisher.start();
        }
    }

    /** The port served. */
    public int port() {
        return server.port();
    }

    /** The job table. */
    public JobStore jobs() {
        return jobs;
    }

    /** The outbox monitor, for tests that refresh it on demand. */
    public OutboxMonitor monitor() {
        return monitor;
    }

    /** The faults in force. */
    public Faults faults() {
        return faults;
    }

    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", closeables.get(i), e.toString());
            }
        }
        closeables.clear();
    }

    /**
     * A pool over the database at {@code url} (the embedded H2 when null): the publisher's workers and
     * LISTEN connection hold theirs, while jobs, health checks and the monitor borrow one per use,
     * which without a pool would open a new physical connection each time.
     */
    private static HikariDataSource dataSource(String url, String prefix) {
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("runner-db");
        pool.setMaximumPoolSize(POOL_SIZE);
        pool.setConnectionTimeout(TimeUnit.SECONDS.toMillis(5));
        if (url == null || url.startsWith("jdbc:h2:")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url == null ? "jdbc:h2:mem:" + prefix + ";DB_CLOSE_DELAY=-1" : url);
            pool.setDataSource(h2);
        } else {
            PGSimpleDataSource postgres = new PGSimpleDataSource();
            postgres.setURL(url);
            pool.setDataSource(postgres);
        }
        return new HikariDataSource(pool);
    }

    private static String consumerName() {
        return "runner-" + ManagementFactory.getRuntimeMXBean().getName().replaceAll("[^A-Za-z0-9@._-]", "_");
    }

    /** Passes batches to the real sink unless a {@code sink} fault is down; then every message fails. */
    private static final class FaultySink implements OutboxSink {
        private final OutboxSink delegate;
        private final Faults faults;

        FaultySink(OutboxSink delegate, Faults faults) {
            this.delegate = delegate;
            this.faults = faults;
        }

        @Override
        public List<SendResult> send(List<OutboxRecord> batch) throws Exception {
            if (faults.isOff("sink")) {
                IOException down = new IOException("stream sink refused the batch (drill fault: sink down)");
                return batch.stream().map(record -> SendResult.failed(down)).toList();
            }
            return delegate.send(batch);
        }

        @Override
        public void close() {
            try {
                delegate.close();
            } catch (Exception e) {
                LOG.warn("closing the sink failed: {}", e.toString());
            }
        }
    }
}
