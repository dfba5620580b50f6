package org.projectbeacon.spring.boot.autoconfigure;

import io.lettuce.core.RedisClient;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.projectbeacon.health.CheckOptions;
import org.projectbeacon.health.checks.JdbcHealthCheck;
import org.projectbeacon.health.checks.RedisHealthCheck;
import org.projectbeacon.health.outbox.OutboxBacklogCheck;
import org.projectbeacon.health.outbox.OutboxRoutes;
import org.projectbeacon.health.outbox.StreamConsumerCheck;
import org.projectbeacon.outbox.DeadLetterQueue;
import org.projectbeacon.outbox.InProcessSink;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxMetrics;
import org.projectbeacon.outbox.OutboxMonitor;
import org.projectbeacon.outbox.OutboxPublisher;
import org.projectbeacon.outbox.PublisherConfig;
import org.projectbeacon.outbox.redis.RedisSinkConfig;
import org.projectbeacon.outbox.redis.RedisStreamSink;
import org.projectbeacon.outbox.redis.StreamConsumer;
import org.projectbeacon.outbox.redis.StreamHandler;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.outbox.spi.OutboxSink;
import org.projectbeacon.resilience.DaemonThreads;
import org.projectbeacon.resilience.GuardRegistry;
import org.projectbeacon.spring.boot.autoconfigure.BeaconProperties.Migration;
import org.projectbeacon.spring.boot.autoconfigure.internal.LifecycleBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * The transactional outbox of an application with a {@link DataSource}: its tables (through a
 * Flyway of their own, or {@link Outbox#migrate(DataSource)}), the sink (Redis when
 * {@code beacon.sink.redis-uri} is set, else an in-process stream), the publisher and monitor as
 * lifecycle beans stopped in Boot's graceful shutdown, the dead letter queue, the stream consumer
 * when the application declares a {@link StreamHandler} bean, their meters and health checks, and a
 * {@link TransactionalOutbox} that joins the caller's {@code @Transactional}.
 *
 * <p><b>Flyway.</b> The outbox's scripts are versioned V1, V2, ... like an application's own. To
 * never clash, they run in a Flyway instance of their own with the history table
 * {@code <table-prefix>beacon_outbox_history}, location {@code classpath:db/beacon-outbox/<dialect>}
 * and placeholder {@code prefix}, independent of {@code spring.flyway.*} (a non-empty schema is
 * baselined at version 0, so V1 still runs). They run after the application's own database
 * initialization ({@code @DependsOnDatabaseInitialization}), so the application's Flyway always
 * starts on the schema it expects, empty on a fresh database. The database's Flyway module
 * ({@code flyway-database-postgresql}, {@code flyway-mysql}) must be on the classpath, as for the
 * application's own migrations.
 */
@AutoConfiguration(after = BeaconAutoConfiguration.class,
        afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
@ConditionalOnClass(Outbox.class)
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(name = "beacon.outbox.enabled", matchIfMissing = true)
public class BeaconOutboxAutoConfiguration {

    /** Name of the Flyway history table of the outbox's own migrations, after the table prefix. */
    public static final String FLYWAY_HISTORY_TABLE = "beacon_outbox_history";

    /**
     * The outbox's configuration; the dialect is {@code beacon.outbox.dialect} or detected from a
     * connection.
     *
     * @param properties the bound properties
     * @param dataSource the application's DataSource
     * @return the configuration
     * @throws SQLException when the dialect must be detected and no connection can be had
     */
    @Bean
    @ConditionalOnMissingBean
    public OutboxConfig beaconOutboxConfig(BeaconProperties properties, DataSource dataSource) throws SQLException {
        BeaconProperties.Outbox outbox = properties.getOutbox();
        return OutboxConfig.builder()
                .dialect(dialect(outbox.getDialect(), dataSource))
                .tablePrefix(outbox.getTablePrefix())
                .maxPayloadBytes(outbox.getMaxPayloadBytes())
                .build();
    }

    private static OutboxDialect dialect(String name, DataSource dataSource) throws SQLException {
        if (name == null || name.isBlank()) {
            try (Connection connection = dataSource.getConnection()) {
                return OutboxDialect.detect(connection);
            }
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "postgresql" -> OutboxDialect.postgresql();
            case "mariadb", "mysql" -> OutboxDialect.mariadb();
            case "h2" -> OutboxDialect.h2();
            default -> throw new IllegalArgumentException(
                    "beacon.outbox.dialect must be postgresql, mariadb or h2 but was " + name);
        };
    }

    /**
     * The outbox, its tables created as {@code beacon.outbox.migration} says.
     *
     * @param properties the bound properties
     * @param config the outbox configuration
     * @param dataSource the application's DataSource
     * @return the outbox
     * @throws SQLException when the tables cannot be created
     */
    @Bean
    @ConditionalOnMissingBean
    // After the application's own Flyway (or Liquibase, or SQL scripts): migrating the outbox first
    // would leave the application's Flyway a non-empty schema without its history table, which it
    // refuses to migrate unless baseline-on-migrate is set (FlywayCompatibilityIT).
    @DependsOnDatabaseInitialization
    public Outbox beaconOutbox(BeaconProperties properties, OutboxConfig config, DataSource dataSource) throws SQLException {
        Outbox outbox = Outbox.create(config);
        Migration migration = properties.getOutbox().getMigration();
        boolean flyway = ClassUtils.isPresent("org.flywaydb.core.Flyway", getClass().getClassLoader());
        if (migration == Migration.FLYWAY || (migration == Migration.AUTO && flyway)) {
            if (!flyway) {
                throw new IllegalStateException("beacon.outbox.migration is FLYWAY but Flyway is not on the classpath");
            }
            FlywayMigration.migrate(dataSource, config);
        } else if (migration != Migration.NONE) {
            outbox.migrate(dataSource);
        }
        return outbox;
    }

    /** Kept apart so that the outbox configuration loads without Flyway on the classpath. */
    static final class FlywayMigration {
        private FlywayMigration() {}

        static void migrate(DataSource dataSource, OutboxConfig config) {
            org.flywaydb.core.Flyway.configure(BeaconOutboxAutoConfiguration.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/beacon-outbox/" + config.dialect().name())
                    .table(config.tablePrefix() + FLYWAY_HISTORY_TABLE)
                    .placeholders(Map.of("prefix", config.tablePrefix()))
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        }
    }

    /**
     * The outbox in the caller's Spring transaction.
     *
     * @param outbox the outbox
     * @param dataSource the DataSource the transaction manager manages
     * @return the transactional outbox
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnClass(name = "org.springframework.jdbc.datasource.DataSourceUtils")
    public TransactionalOutbox beaconTransactionalOutbox(Outbox outbox, DataSource dataSource) {
        return new TransactionalOutbox(outbox, dataSource);
    }

    /**
     * The Redis client of the sink and consumer, when {@code beacon.sink.redis-uri} is set.
     *
     * @param properties the bound properties
     * @return the client, shut down with the context
     */
    @Bean(destroyMethod = "shutdown")
    @ConditionalOnClass(RedisClient.class)
    @ConditionalOnProperty(name = "beacon.sink.redis-uri")
    @ConditionalOnMissingBean(name = "beaconRedisClient")
    public RedisClient beaconRedisClient(BeaconProperties properties) {
        return RedisClient.create(properties.getSink().getRedisUri());
    }

    /**
     * The sink: Redis Streams when a Redis client is configured, else an in-process stream.
     *
     * @param properties the bound properties
     * @param redis the Redis client, if any
     * @return the sink
     */
    @Bean
    @ConditionalOnMissingBean
    public OutboxSink beaconOutboxSink(BeaconProperties properties, ObjectProvider<RedisClient> redis) {
        RedisClient client = redis.getIfAvailable();
        if (client == null) {
            return new InProcessSink();
        }
        BeaconProperties.Sink sink = properties.getSink();
        return RedisStreamSink.create(client, RedisSinkConfig.builder()
                .keyPrefix(sink.getKeyPrefix())
                .dedupTtl(sink.getDedupTtl())
                .maxLen(sink.getMaxLen())
                .build());
    }

    /**
     * The dead letter queue.
     *
     * @param dataSource the DataSource
     * @param config the outbox configuration
     * @param sink the sink requeued messages go to
     * @param outbox ensures the tables exist first
     * @param metrics counts consumer dead letters in {@code outbox_dead_lettered_total}
     * @return the queue
     */
    @Bean
    @ConditionalOnMissingBean
    public DeadLetterQueue beaconDeadLetterQueue(DataSource dataSource, OutboxConfig config, OutboxSink sink, Outbox outbox,
            OutboxMetrics metrics) {
        return DeadLetterQueue.create(dataSource, config, sink, metrics);
    }

    /**
     * The publisher's meters.
     *
     * @return the metrics, bound by Boot to every {@code MeterRegistry}
     */
    @Bean
    @ConditionalOnMissingBean
    public OutboxMetrics beaconOutboxMetrics() {
        return OutboxMetrics.create();
    }

    /**
     * The thread of the monitor's refreshes.
     *
     * @return the scheduler, shut down with the context
     */
    @Bean(destroyMethod = "shutdownNow")
    public ScheduledExecutorService beaconOutboxMonitorScheduler() {
        return Executors.newSingleThreadScheduledExecutor(new DaemonThreads("beacon-outbox-monitor"));
    }

    /**
     * The monitor behind the backlog gauges and the backlog health check.
     *
     * @param properties the bound properties
     * @param dataSource the DataSource
     * @param config the outbox configuration
     * @param outbox ensures the tables exist first
     * @param beaconOutboxMonitorScheduler the thread of its refreshes
     * @return the monitor; its meters are bound by Boot
     */
    @Bean
    @ConditionalOnMissingBean
    public OutboxMonitor beaconOutboxMonitor(BeaconProperties properties, DataSource dataSource, OutboxConfig config, Outbox outbox,
            ScheduledExecutorService beaconOutboxMonitorScheduler) {
        ScheduledExecutorService scheduler = beaconOutboxMonitorScheduler;
        return OutboxMonitor.builder(dataSource, config)
                .refreshInterval(properties.getHealth().getInterval())
                .scheduler(scheduler)
                .build();
    }

    /**
     * Starts the monitor's refreshes with the context.
     *
     * @param monitor the monitor
     * @return the lifecycle
     */
    @Bean
    public LifecycleBean beaconOutboxMonitorLifecycle(OutboxMonitor monitor) {
        return new LifecycleBean("beacon outbox monitor", LifecycleBean.DEFAULT_PHASE, monitor::start, monitor::close);
    }

    /**
     * The publisher, guarded by the guard {@code redis} (configure it as {@code beacon.guards.redis.*}).
     *
     * @param properties the bound properties
     * @param dataSource the DataSource
     * @param config the outbox configuration
     * @param sink the sink
     * @param guards the guard registry
     * @param metrics the publisher's meters
     * @param outbox ensures the tables exist first
     * @return the publisher, started and stopped by {@link #beaconOutboxPublisherLifecycle}
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "beacon.publisher.enabled", matchIfMissing = true)
    public OutboxPublisher beaconOutboxPublisher(BeaconProperties properties, DataSource dataSource, OutboxConfig config,
            OutboxSink sink, GuardRegistry guards, OutboxMetrics metrics, Outbox outbox) {
        BeaconProperties.Publisher publisher = properties.getPublisher();
        return OutboxPublisher.builder(dataSource, config, sink)
                .config(PublisherConfig.builder()
                        .workers(publisher.getWorkers())
                        .batchSize(publisher.getBatchSize())
                        .pollInterval(publisher.getPollInterval())
                        .fullClaimInterval(publisher.getFullClaimInterval())
                        .leaseDuration(publisher.getLeaseDuration())
                        .maxAttempts(publisher.getMaxAttempts())
                        .backoffInitial(publisher.getBackoffInitial())
                        .backoffMax(publisher.getBackoffMax())
                        .ackMode(publisher.getAckMode())
                        .build())
                .guard(guards.guard("redis"))
                .metrics(metrics)
                .threadFactory(new DaemonThreads("beacon-outbox-publisher"))
                .build();
    }

    /**
     * Runs the publisher from context start until after the web server's graceful shutdown; a stop
     * waits {@code beacon.publisher.stop-timeout} for batches in flight, and rows it did not publish
     * stay in the outbox for the next start.
     *
     * @param properties the bound properties
     * @param publisher the publisher
     * @return the lifecycle
     */
    @Bean
    @ConditionalOnBean(OutboxPublisher.class)
    public LifecycleBean beaconOutboxPublisherLifecycle(BeaconProperties properties, OutboxPublisher publisher) {
        return new LifecycleBean("beacon outbox publisher", LifecycleBean.AFTER_WEB_SERVER_PHASE, publisher::start,
                () -> publisher.stop(properties.getPublisher().getStopTimeout()));
    }

    /**
     * The dead letter queue, publisher and unpublished-message admin routes ({@code /api/v1/admin/dlq},
     * {@code /api/v1/admin/outbox/publisher}, {@code /api/v1/admin/outbox/unpublished},
     * {@code /api/v1/admin/outbox/{id}/republish}), the same as the plain runner's.
     *
     * @param deadLetters the dead letter queue
     * @param publisher the publisher
     * @param monitor the outbox monitor, which lists and republishes unpublished messages
     * @return the routes
     */
    @Bean
    @ConditionalOnBean(OutboxPublisher.class)
    public BeaconRoutes beaconOutboxRoutes(DeadLetterQueue deadLetters, OutboxPublisher publisher, OutboxMonitor monitor) {
        return new BeaconRoutes(OutboxRoutes.of(deadLetters, publisher, monitor));
    }

    /**
     * The database (critical) and outbox backlog checks, and Redis's when the sink is Redis (critical only
     * with {@code beacon.health.redis-critical}).
     *
     * @param properties the bound properties
     * @param dataSource the DataSource
     * @param monitor the outbox monitor
     * @param redis the Redis client, if any
     * @return the checks
     */
    @Bean
    public BeaconHealthChecks beaconOutboxChecks(BeaconProperties properties, DataSource dataSource, OutboxMonitor monitor,
            ObjectProvider<RedisClient> redis) {
        BeaconProperties.Health health = properties.getHealth();
        CheckOptions critical = CheckOptions.builder().interval(health.getInterval()).build();
        CheckOptions informative = CheckOptions.builder().interval(health.getInterval()).critical(false).build();
        java.util.List<BeaconHealthCheck> checks = new java.util.ArrayList<>();
        if (health.isDatabase()) {
            checks.add(new BeaconHealthCheck("database", JdbcHealthCheck.of(dataSource), critical));
        }
        RedisClient client = redis.getIfAvailable();
        if (health.isRedis() && client != null) {
            checks.add(new BeaconHealthCheck("redis", RedisHealthCheck.of(client),
                    health.isRedisCritical() ? critical : informative));
        }
        if (health.isOutbox()) {
            checks.add(new BeaconHealthCheck("outbox", OutboxBacklogCheck.of(monitor), informative));
        }
        return new BeaconHealthChecks(checks);
    }

    /** The {@code beacondlq} Actuator endpoint, when Actuator is on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    public static class DeadLetterEndpointConfiguration {

        /**
         * The {@code beacondlq} endpoint; over HTTP behind the admin token (see
         * {@link BeaconActuatorAutoConfiguration}).
         *
         * @param deadLetters the dead letter queue
         * @return the endpoint
         */
        @Bean
        @ConditionalOnMissingBean
        public BeaconDeadLettersEndpoint beaconDeadLettersEndpoint(DeadLetterQueue deadLetters) {
            return new BeaconDeadLettersEndpoint(deadLetters);
        }
    }

    /** The stream consumer, when the application declares the {@link StreamHandler} of its entries. */
    @Configuration(proxyBeanMethods = false)
    // Not @ConditionalOnBean(RedisClient.class): member classes are processed before the outer
    // class's @Bean methods, so the client is never registered yet; its property stands for it.
    @ConditionalOnBean(StreamHandler.class)
    @ConditionalOnProperty(name = {"beacon.sink.redis-uri", "beacon.consumer.stream", "beacon.consumer.group"})
    public static class ConsumerConfiguration {

        /**
         * The consumer; failed entries go to the outbox's dead letter queue after
         * {@code beacon.consumer.max-deliveries}.
         *
         * @param properties the bound properties
         * @param redis the Redis client
         * @param handler the application's handler
         * @param deadLetters the dead letter queue
         * @return the consumer; its meters are bound by Boot
         */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        public StreamConsumer beaconStreamConsumer(BeaconProperties properties, RedisClient redis, StreamHandler handler,
                DeadLetterQueue deadLetters) {
            BeaconProperties.Consumer consumer = properties.getConsumer();
            String stream = properties.getSink().getKeyPrefix() + consumer.getStream();
            String name = consumer.getName() != null ? consumer.getName()
                    : ManagementFactory.getRuntimeMXBean().getName().replaceAll("[^A-Za-z0-9._-]", "-");
            return StreamConsumer.builder(redis, stream, consumer.getGroup(), name, handler)
                    .maxDeliveries(consumer.getMaxDeliveries())
                    .claimIdle(consumer.getClaimIdle())
                    .stopGrace(consumer.getStopGrace())
                    .deadLetters(deadLetters, consumer.getStream())
                    .build();
        }

        /**
         * Runs the consumer until after the web server's graceful shutdown; a stop lets handlers in
         * hand finish for {@code beacon.consumer.stop-grace}.
         *
         * @param properties the bound properties
         * @param consumer the consumer
         * @return the lifecycle
         */
        @Bean
        public LifecycleBean beaconStreamConsumerLifecycle(BeaconProperties properties, StreamConsumer consumer) {
            return new LifecycleBean("beacon stream consumer", LifecycleBean.AFTER_WEB_SERVER_PHASE, consumer::start,
                    () -> consumer.stop(properties.getConsumer().getStopGrace()));
        }

        /**
         * The consumer's health check, critical only with {@code beacon.health.consumer-critical}.
         *
         * @param properties the bound properties
         * @param consumer the consumer
         * @return the check
         */
        @Bean
        public BeaconHealthCheck beaconStreamConsumerCheck(BeaconProperties properties, StreamConsumer consumer) {
            return new BeaconHealthCheck("consumer", StreamConsumerCheck.of(consumer),
                    CheckOptions.builder().interval(properties.getHealth().getInterval())
                            .critical(properties.getHealth().isConsumerCritical()).build());
        }
    }
}
