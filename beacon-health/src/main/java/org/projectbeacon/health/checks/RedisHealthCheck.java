package org.projectbeacon.health.checks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.projectbeacon.health.HealthResult;
import org.projectbeacon.health.spi.HealthCheck;
import org.projectbeacon.outbox.redis.RedisConnection;
import org.projectbeacon.outbox.redis.RedisConnector;

/**
 * Checks Redis with {@code PING} through Lettuce.
 *
 * <p>Holds one connection, opened on the first run and reopened after it is closed; Lettuce
 * reconnects it by itself after an outage. A refused connection or an error reply is DOWN. Needs
 * {@code io.lettuce:lettuce-core} and {@code beacon-resilience-outbox} (its
 * {@link RedisConnector}, which makes the check work on a single Redis, a Sentinel set or a Redis
 * Cluster) on the classpath. Thread-safe.
 */
public final class RedisHealthCheck implements HealthCheck {

    private final RedisConnector connector;
    private RedisConnection<String, String> connection;

    private RedisHealthCheck(RedisConnector connector) {
        this.connector = Objects.requireNonNull(connector, "connector");
    }

    /** A check over connections from {@code client}; the caller keeps owning the client. */
    public static RedisHealthCheck of(RedisClient client) {
        return new RedisHealthCheck(RedisConnector.of(client));
    }

    /**
     * A check on a Redis Cluster, asking the node the cluster connection's keyless commands go to; the
     * caller keeps owning the client. Does no I/O.
     */
    public static RedisHealthCheck of(RedisClusterClient client) {
        return new RedisHealthCheck(RedisConnector.of(client));
    }

    /** A check over connections from {@code connector}: a single Redis, a Sentinel set or a cluster. Does no I/O. */
    public static RedisHealthCheck of(RedisConnector connector) {
        return new RedisHealthCheck(connector);
    }

    @Override
    public CompletionStage<HealthResult> check() {
        RedisConnection<String, String> current;
        try {
            current = connection();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(HealthResult.down(e));
        }
        return current.async().ping().thenApply(reply -> "PONG".equals(reply)
                ? HealthResult.up(Map.of("reply", reply))
                : HealthResult.down("unexpected reply to PING: " + reply));
    }

    private synchronized RedisConnection<String, String> connection() {
        if (connection == null || !connection.isOpen()) {
            connection = connector.connect();
        }
        return connection;
    }
}
