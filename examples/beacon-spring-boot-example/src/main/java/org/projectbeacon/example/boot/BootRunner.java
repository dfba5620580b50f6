package org.projectbeacon.example.boot;

import io.lettuce.core.RedisClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.projectbeacon.example.faults.Faults;
import org.projectbeacon.example.faults.FaultySink;
import org.projectbeacon.example.http.FaultRoutes;
import org.projectbeacon.example.http.JobRoutes;
import org.projectbeacon.example.ipfs.SimulatedIpfs;
import org.projectbeacon.example.jobs.EmbeddedJobs;
import org.projectbeacon.example.jobs.JobStore;
import org.projectbeacon.example.jobs.JobWorker;
import org.projectbeacon.example.providers.SimulatedMarket;
import org.projectbeacon.health.http.RequestFilter;
import org.projectbeacon.outbox.DeadLetterQueue;
import org.projectbeacon.outbox.InProcessSink;
import org.projectbeacon.outbox.LedgerConfig;
import org.projectbeacon.outbox.LedgerMetrics;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxPublisher;
import org.projectbeacon.outbox.ProcessingLedger;
import org.projectbeacon.outbox.redis.RedisSinkConfig;
import org.projectbeacon.outbox.redis.RedisStreamSink;
import org.projectbeacon.outbox.redis.StreamConsumer;
import org.projectbeacon.outbox.redis.StreamHandler;
import org.projectbeacon.outbox.spi.OutboxSink;
import org.projectbeacon.resilience.DaemonThreads;
import org.projectbeacon.resilience.GuardRegistry;
import org.projectbeacon.resilience.metrics.RunnerMetrics;
import org.projectbeacon.spring.boot.autoconfigure.BeaconProperties;
import org.projectbeacon.spring.boot.autoconfigure.BeaconRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The example runner as a Spring Boot application on {@code beacon-spring-boot-starter}: the plain
 * runner's job API ({@code POST /api/v1/jobs} with {@code Idempotency-Key}, {@code GET /api/v1/jobs/{id}}),
 * job store, worker and drill faults ({@code /api/v1/admin/faults}), wired as beans. The starter gives
 * the outbox, publisher, dead letter queue, guards, health, metrics and admin API at the runbook's paths.
 *
 * <p>With no settings it runs on H2 with the in-process stream; {@code spring.datasource.url} and
 * {@code beacon.sink.redis-uri} put it on PostgreSQL and Redis Streams, where the starter's stream
 * consumer delivers the jobs. Either way each job runs through the processing ledger, so it completes
 * once however often its message is delivered. With Redis, {@link RedisDelivery} keeps published rows
 * until their job is done and reconciles them, and {@link JobIntake} makes a {@code SIGTERM} refuse
 * new jobs (503) and finish the jobs in hand before the web server and the publisher stop: the plain
 * runner's guarantees.
 */
@SpringBootApplication
public class BootRunner {

    /** How long a worker's lease on a job's message lasts, as in the plain runner. */
    public static final Duration JOB_LEASE = Duration.ofSeconds(20);
    /** The regions providers are negotiated in, in order of preference. */
    public static final List<String> REGIONS = List.of("lhr", "fra", "ams");
    /** Worker threads of the embedded default. */
    public static final int EMBEDDED_WORKERS = 4;
    /** How often the ledger's expired leases are counted, as in the plain runner. */
    public static final Duration LEDGER_REFRESH = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(BootRunner.class);

    /**
     * Runs the application.
     *
     * @param args {@code --config FILE} (else {@code ./runner.env} when it exists, see {@link RunnerEnv})
     *     and Spring Boot arguments, such as {@code --beacon.sink.redis-uri=redis://127.0.0.1:6379}
     */
    public static void main(String[] args) {
        StandardEnvironment environment;
        try {
            environment = RunnerEnv.environment(args, System.getenv(), Path.of(""));
        } catch (IllegalArgumentException e) {
            // The message names file, line and key, never the value; no stack trace for a bad setting.
            System.err.println("beacon-spring-boot-example: " + e.getMessage());
            System.exit(2);
            return;
        }
        SpringApplication application = new SpringApplication(BootRunner.class);
        application.setEnvironment(environment);
        ConfigurableApplicationContext context = application.run(RunnerEnv.springArguments(args));
        // Without a handler the JVM ends with 143 on SIGTERM; closing the context from the signal (Boot's
        // graceful phases run) and exiting with its code lets a normal stop exit 0, as the plain runner
        // does, so a supervisor tells it from a crash. Boot's shutdown hook stays for the rest.
        for (String signal : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> new Thread(() -> {
                    LOG.info("SIG{} received: stopping gracefully", signal);
                    System.exit(SpringApplication.exit(context));
                }, "runner-stop").start());
            } catch (IllegalArgumentException e) {
                LOG.debug("signal {} cannot be handled here: {}", signal, e.toString());
            }
        }
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Faults faults() {
        return new Faults();
    }

    /**
     * The stream the publisher writes to: Redis Streams when {@code beacon.sink.redis-uri} is set,
     * else the in-process stream; either behind the drills' {@code sink} fault.
     */
    @Bean
    @Primary
    OutboxSink beaconOutboxSink(BeaconProperties properties, ObjectProvider<RedisClient> redis,
            ObjectProvider<InProcessSink> inProcess, Faults faults) {
        RedisClient client = redis.getIfAvailable();
        OutboxSink sink = client == null ? inProcess.getObject()
                : RedisStreamSink.create(client, RedisSinkConfig.builder().keyPrefix(properties.getSink().getKeyPrefix()).build());
        return new FaultySink(sink, faults);
    }

    /** The in-process stream of the embedded default (unused with Redis). */
    @Bean
    InProcessSink inProcessStream() {
        return new InProcessSink();
    }

    @Bean(initMethod = "migrate")
    JobStore jobStore(DataSource dataSource, Clock clock, @Value("${example.prefix}") String prefix) {
        return new JobStore(dataSource, clock, prefix);
    }

    @Bean
    ProcessingLedger processingLedger(DataSource dataSource, OutboxConfig outbox) throws Exception {
        ProcessingLedger ledger = ProcessingLedger.create(dataSource, LedgerConfig.builder()
                .dialect(outbox.dialect())
                .tablePrefix(outbox.tablePrefix())
                .leaseDuration(JOB_LEASE)
                .build());
        ledger.migrate(dataSource);
        return ledger;
    }

    @Bean
    JobWorker jobWorker(JobStore jobs, ProcessingLedger ledger, DeadLetterQueue deadLetters, GuardRegistry guards,
            Faults faults, RunnerMetrics metrics, Clock clock) {
        return new JobWorker(jobs, ledger, deadLetters, JobRoutes.STREAM, guards.regionFallback("golem"),
                guards.guard("ipfs"), new SimulatedMarket(faults, metrics), new SimulatedIpfs(faults), metrics, clock);
    }

    /** The starter's stream consumer runs this handler on every Redis delivery. */
    @Bean
    StreamHandler jobHandler(JobWorker worker) {
        return worker.streamHandler();
    }

    /** Runs the jobs of the in-process stream; idle with Redis, where nothing is published to it. */
    @Bean(destroyMethod = "close")
    EmbeddedJobs embeddedJobs(JobWorker worker, InProcessSink inProcessStream) {
        EmbeddedJobs jobs = new EmbeddedJobs(worker,
                Executors.newScheduledThreadPool(EMBEDDED_WORKERS, new DaemonThreads("runner-worker")));
        jobs.start(inProcessStream, JobRoutes.STREAM);
        return jobs;
    }

    /** Meters of the processing ledger: {@code outbox_ledger_expired_leases} of the runbook's lease alert. */
    @Bean(initMethod = "start", destroyMethod = "close")
    LedgerMetrics ledgerMetrics(ProcessingLedger ledger,
            @Qualifier("beaconOutboxMonitorScheduler") ScheduledExecutorService monitorScheduler) {
        return LedgerMetrics.builder(ledger).scheduler(monitorScheduler).refreshInterval(LEDGER_REFRESH).build();
    }

    /**
     * Stops the job intake (503) and then the consumer's jobs in hand first when the context closes;
     * see {@link JobIntake}.
     */
    @Bean
    JobIntake jobIntake(JobRoutes jobs, ObjectProvider<StreamConsumer> consumer, BeaconProperties properties) {
        return new JobIntake(jobs, consumer.getIfAvailable(), properties.getConsumer().getStopGrace());
    }

    @Bean
    JobRoutes jobRoutes(JobStore jobs, Outbox outbox, RunnerMetrics metrics) {
        return new JobRoutes(jobs, outbox, JobRoutes.STREAM, REGIONS, metrics);
    }

    /** The faults pause and resume the publisher as the plain runner's do. */
    @Bean
    FaultRoutes faultRoutes(Faults faults, OutboxPublisher publisher) {
        return new FaultRoutes(faults, () -> {
            boolean paused = faults.isOff("publisher");
            if (paused && publisher.isRunning()) {
                publisher.stop(Duration.ofSeconds(5));
            } else if (!paused && !publisher.isRunning()) {
                publisher.start();
            }
        });
    }

    @Bean
    BeaconRoutes exampleRoutes(JobRoutes jobs, FaultRoutes faults) {
        return new BeaconRoutes(java.util.stream.Stream.concat(jobs.routes().stream(), faults.routes().stream()).toList());
    }

    @Bean
    RequestFilter faultFilter(FaultRoutes faults) {
        return faults.filter();
    }
}
