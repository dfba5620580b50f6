package org.projectbeacon.example;

import org.projectbeacon.health.checks.RedisPersistenceCheck;
import org.projectbeacon.health.outbox.StreamConsumerCheck;
import org.projectbeacon.outbox.AckMode;
import org.projectbeacon.outbox.LedgerConfig;
import org.projectbeacon.outbox.LedgerMetrics;
import org.projectbeacon.outbox.OutboxReconciler;
import org.projectbeacon.outbox.ReconcilerConfig;
import org.projectbeacon.outbox.ProcessingLedger;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.projectbeacon.example.faults.FaultySink;
import org.projectbeacon.example.jobs.EmbeddedJobs;
import org.projectbeacon.example.jobs.JobStore;
import org.projectbeacon.example.jobs.JobWorker;
import org.projectbeacon.example.providers.SimulatedMarket;
import org.projectbeacon.health.CheckOptions;
import org.projectbeacon.health.HealthAggregator;
import org.projectbeacon.health.checks.BreakerHealthCheck;
import org.projectbeacon.health.checks.JdbcHealthCheck;
import org.projectbeacon.health.checks.RedisHealthCheck;
import org.projectbeacon.health.console.ConsoleRoutes;
import org.projectbeacon.health.console.HealthHistory;
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
import org.projectbeacon.outbox.PublisherConfig;
import org.projectbeacon.outbox.redis.RedisConnector;
import org.projectbeacon.outbox.redis.RedisSinkConfig;
import org.projectbeacon.outbox.redis.RedisStreamSink;
import org.projectbeacon.outbox.redis.StreamAdmin;
import org.projectbeacon.outbox.redis.StreamConsumer;
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
    /**
     * How long a worker's lease on a job's message lasts (renewed before each attempt): a runner that
     * dies mid-job holds its jobs at most this long before another runner takes them over.
     */
    public static final Duration JOB_LEASE = Duration.ofSeconds(20);
    /**
     * Idle time after which a pending stream entry is claimed by another runner's consumer: longer
     * than the lease, so that the claim finds the dead runner's lease expired and takes the job over.
     */
    public static final Duration CLAIM_IDLE = Duration.ofSeconds(25);
    /**
     * Deliveries before the consumer dead-letters an entry: only entries whose handler never finishes
     * (a job that kills its runner) come this far; jobs that fail are retried inside one delivery.
     */
    public static final int MAX_DELIVERIES = 10;
    /** How often published rows are checked against the stream and the ledger. */
    static final Duration RECONCILE_INTERVAL = Duration.ofSeconds(5);
    /** Rows published more recently than this are not reconciled yet (their entries are in flight). */
    static final Duration RECONCILE_GRACE = Duration.ofSeconds(10);
    /** The consumer group of the runners. */
    public static final String CONSUMER_GROUP = "runners";
    /** Consumers idle this long with nothing pending are removed from the group (runners that died). */
    static final Duration IDLE_CONSUMER = Duration.ofMinutes(10);
    /** How long a stopping runner lets its jobs in hand finish before handing them back. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(20);
    /** Database connections of the runner's pool: the publisher's worker and listener hold two. */
    static final int POOL_SIZE = 10;

    private final RunnerConfig config;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Faults faults = new Faults();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RunnerMetrics metrics = RunnerMetrics.create();
    private GuardRegistry guards;
    private ProcessingLedger ledger;
    private StreamConsumer consumer;
    private JobRoutes jobRoutes;
    private OutboxReconciler reconciler;
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
        String stream = config.prefix() + ":" + JobRoutes.STREAM;
        // One Redis, a Sentinel-managed primary or a Redis Cluster, from the URI's scheme.
        RedisConnector redis = config.redisUri() == null ? null : RedisConnector.create(config.redisUri());
        InProcessSink inProcess = redis == null ? new InProcessSink() : null;
        if (redis != null) {
            closeables.add(redis::close);
        }
        OutboxSink faulty = new FaultySink(
                redis != null ? RedisStreamSink.create(redis, RedisSinkConfig.defaults()) : inProcess, faults);
        // Jobs that keep failing go to the outbox's dead letter queue, where on-call reviews and requeues them.
        // Counted in outbox_dead_lettered_total with the publisher's own dead letters.
        OutboxMetrics outboxMetrics = OutboxMetrics.create();
        outboxMetrics.bindTo(prometheus);
        DeadLetterQueue deadLetters = DeadLetterQueue.create(dataSource, outboxConfig, faulty, outboxMetrics);
        // The processing ledger: a message's job runs under a lease and completes once, however often it is delivered.
        ledger = ProcessingLedger.create(dataSource, LedgerConfig.builder()
                .dialect(dialect)
                .tablePrefix(config.prefix() + "_")
                .leaseDuration(JOB_LEASE)
                .build());
        ledger.migrate(dataSource);
        JobWorker worker = new JobWorker(jobs, ledger, deadLetters, stream, golem, guards.guard("ipfs"),
                new SimulatedMarket(faults, metrics), bundles, metrics, config.clock());
        if (redis != null) {
            consumer = StreamConsumer.builder(redis, stream, CONSUMER_GROUP, consumerName(), worker.streamHandler())
                    .maxDeliveries(MAX_DELIVERIES)
                    .claimIdle(CLAIM_IDLE)
                    .stopGrace(STOP_GRACE)
                    .deadLetters(deadLetters)
                    .clock(config.clock())
                    .build();
            consumer.bindTo(prometheus);
            consumer.start();
            closeables.add(consumer);
        } else {
            EmbeddedJobs embedded = new EmbeddedJobs(worker,
                    Executors.newScheduledThreadPool(4, new DaemonThreads("runner-worker")));
            closeables.add(embedded);
            embedded.start(inProcess, stream);
        }
        publisher = OutboxPublisher.builder(dataSource, outboxConfig, faulty)
                .config(PublisherConfig.builder()
                        .workers(2)
                        .pollInterval(Duration.ofMillis(200))
                        .maxAttempts(5)
                        .backoffInitial(Duration.ofMillis(500))
                        .backoffMax(Duration.ofSeconds(5))
                        // With Redis, a published row stays until its job's message is done, so a stream
                        // that loses entries (a restart without persistence, a trim) loses no job.
                        .ackMode(redis != null ? AckMode.KEEP_UNTIL_DONE : AckMode.DELETE)
                        .build())
                .guard(guards.guard("redis"))
                .metrics(outboxMetrics)
                .threadFactory(new DaemonThreads("runner-publisher"))
                .build();
        publisher.start();
        closeables.add(() -> publisher.stop(Duration.ofSeconds(5)));
        if (redis != null) {
            ScheduledExecutorService reconcilerScheduler = Executors.newSingleThreadScheduledExecutor(
                    new DaemonThreads("runner-reconciler"));
            closeables.add(reconcilerScheduler::shutdownNow);
            reconciler = OutboxReconciler.builder(dataSource, outboxConfig, faulty, ledger::done)
                    .config(ReconcilerConfig.builder().interval(RECONCILE_INTERVAL).grace(RECONCILE_GRACE).build())
                    .clock(config.clock())
                    .metrics(outboxMetrics)
                    .scheduler(reconcilerScheduler)
                    .build();
            reconciler.start();
            closeables.add(reconciler);
            // Runners that died leave their consumer name in the group; once idle and with nothing
            // pending (a survivor claimed their entries), the names go, so the group lists live runners.
            StreamAdmin streams = StreamAdmin.create(redis);
            reconcilerScheduler.scheduleWithFixedDelay(() -> {
                try {
                    List<String> removed = streams.removeIdleConsumers(stream, CONSUMER_GROUP, IDLE_CONSUMER);
                    if (!removed.isEmpty()) {
                        LOG.info("removed idle consumers {} from group {} of {}", removed, CONSUMER_GROUP, stream);
                    }
                } catch (RuntimeException e) {
                    LOG.debug("idle consumers could not be removed: {}", e.toString());
                }
            }, 1, 5, TimeUnit.MINUTES);
        }
        ScheduledExecutorService monitorScheduler = Executors.newSingleThreadScheduledExecutor(new DaemonThreads("runner-monitor"));
        closeables.add(monitorScheduler::shutdownNow);
        monitor = OutboxMonitor.builder(dataSource, outboxConfig)
                .refreshInterval(Duration.ofSeconds(2))
                .scheduler(monitorScheduler)
                .build();
        monitor.bindTo(prometheus);
        monitor.start();
        closeables.add(monitor);
        LedgerMetrics ledgerMetrics = LedgerMetrics.builder(ledger)
                .scheduler(monitorScheduler)
                .refreshInterval(Duration.ofSeconds(5))
                .build();
        ledgerMetrics.bindTo(prometheus);
        ledgerMetrics.start();
        closeables.add(ledgerMetrics);

        CheckOptions critical = CheckOptions.builder().interval(Duration.ofSeconds(2)).build();
        HealthAggregator.Builder health = HealthAggregator.builder()
                .check("database", JdbcHealthCheck.of(dataSource), critical)
                .check("golem", BreakerHealthCheck.of(golem, guards.admin()), critical)
                .check("ipfs", BreakerHealthCheck.of(guards.guard("ipfs"), guards.admin()),
                        CheckOptions.builder().interval(Duration.ofSeconds(2)).critical(false).build())
                .check("outbox", OutboxBacklogCheck.of(monitor),
                        CheckOptions.builder().interval(Duration.ofSeconds(2)).critical(false).build());
        if (redis != null) {
            // Not critical for readiness: while Redis or the consumer is down, accepted jobs wait in the
            // outbox, so the runner should keep taking them; DOWN shows here and StreamConsumerStalled alerts.
            CheckOptions nonCritical = CheckOptions.builder().interval(Duration.ofSeconds(2)).critical(false).build();
            CheckOptions informative = CheckOptions.builder().interval(Duration.ofSeconds(10)).critical(false).build();
            health.check("redis", RedisHealthCheck.of(redis), nonCritical)
                    .check("consumer", StreamConsumerCheck.of(consumer), nonCritical)
                    .check("redis-persistence", RedisPersistenceCheck.of(redis), informative);
        }
        HealthAggregator aggregator = health.build().start();
        closeables.add(aggregator);

        List<Route> routes = new ArrayList<>();
        FaultRoutes faultRoutes = new FaultRoutes(faults, this::applyFaults);
        jobRoutes = new JobRoutes(jobs, outbox, stream, REGIONS, metrics);
        routes.addAll(jobRoutes.routes());
        routes.addAll(faultRoutes.routes());
        routes.addAll(OutboxRoutes.of(deadLetters, publisher, monitor));
        // The operator console at /console/, its backlog charts fed by a 30-minute history of health reports.
        HealthHistory history = HealthHistory.builder(aggregator).clock(config.clock()).scheduler(monitorScheduler).build().start();
        closeables.add(history);
        routes.addAll(ConsoleRoutes.builder().history(history).guards(guards).build());
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

    /** Pauses or resumes the publisher as the {@code publisher} fault says. */
    private void applyFaults() {
        boolean paused = faults.isOff("publisher");
        if (paused && publisher.isRunning()) {
            publisher.stop(Duration.ofSeconds(5));
            LOG.info("outbox publisher paused by the drill fault 'publisher'");
        } else if (!paused && !publisher.isRunning()) {
            publisher.start();
            LOG.info("outbox publisher resumed: no drill fault pauses it");
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

    /**
     * Stops gracefully: refuses new jobs (503), lets the jobs in hand finish within {@link #STOP_GRACE}
     * (what does not finish stays pending in the stream, with its lease, for another runner), then
     * stops the rest. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (jobRoutes != null) {
            jobRoutes.stopAccepting();
        }
        if (consumer != null && !consumer.stop(STOP_GRACE)) {
            LOG.warn("jobs still running after {}: their messages stay pending for another runner", STOP_GRACE);
        }
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
}
