package org.projectbeacon.outbox;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import javax.sql.DataSource;
import org.projectbeacon.outbox.redis.RedisSinkConfig;
import org.projectbeacon.outbox.redis.RedisStreamSink;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.resilience.GuardRegistry;

/**
 * An outbox on PostgreSQL (own table prefix) publishing to a redis-server of the test's own that the
 * test may stop and start: the setting of the outage and reconciliation tests. The client fails fast
 * while disconnected instead of queueing commands, so an outage reaches the breaker at once.
 */
final class OwnRedisPostgresFixture implements AutoCloseable {

    final RedisServerProcess server;
    final DataSource ds;
    final OutboxConfig config;
    final Outbox outbox;
    final RedisClient client;
    final RedisStreamSink sink;
    final GuardRegistry guards;

    private OwnRedisPostgresFixture(String prefixBase) throws Exception {
        String prefix = TestServices.prefix(prefixBase);
        ds = TestServices.dataSource(OutboxDialect.postgresql(), prefix);
        config = OutboxConfig.builder().dialect(OutboxDialect.postgresql()).tablePrefix(prefix).build();
        outbox = Outbox.create(config);
        outbox.migrate(ds);
        server = RedisServerProcess.start();
        client = RedisClient.create(server.uri());
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        sink = RedisStreamSink.create(client, RedisSinkConfig.builder().commandTimeout(Duration.ofSeconds(2)).build());
        guards = GuardRegistry.builder().build();
    }

    /** Migrates the tables (prefix from {@code prefixBase}) and starts the test's redis-server. */
    static OwnRedisPostgresFixture open(String prefixBase) throws Exception {
        return new OwnRedisPostgresFixture(prefixBase);
    }

    @Override
    public void close() throws Exception {
        sink.close();
        client.shutdown();
        guards.close();
        server.close();
        TestServices.dropTables(ds, config);
    }
}
