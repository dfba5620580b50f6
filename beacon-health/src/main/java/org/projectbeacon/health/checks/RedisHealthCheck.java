package org.projectbeacon.health.checks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.projectbeacon.health.HealthResult;
import org.projectbeacon.health.spi.HealthCheck;

/**
 * Checks Redis with {@code PING} through Lettuce.
 *
 * <p>Holds one connection, opened on the first run and reopened after it is closed; Lettuce
 * reconnects it by itself after an outage. A refused connection or an error reply is DOWN. Needs
 * {@code io.lettuce:lettuce-core} on the classpath. Thread-safe.
 */
public final class RedisHealthCheck implements HealthCheck {

    private final RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    private RedisHealthCheck(RedisClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** A check over connections from {@code client}; the caller keeps owning the client. */
    public static RedisHealthCheck of(RedisClient client) {
        return new RedisHealthCheck(client);
    }

    @Override
    public CompletionStage<HealthResult> check() {
        StatefulRedisConnection<String, String> current;
        try {
            current = connection();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(HealthResult.down(e));
        }
        return current.async().ping().thenApply(reply -> "PONG".equals(reply)
                ? HealthResult.up(Map.of("reply", reply))
                : HealthResult.down("unexpected reply to PING: " + reply));
    }

    private synchronized StatefulRedisConnection<String, String> connection() {
        if (connection == null || !connection.isOpen()) {
            connection = client.connect();
        }
        return connection;
    }
}
