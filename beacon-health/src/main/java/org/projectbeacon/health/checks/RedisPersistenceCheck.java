package org.projectbeacon.health.checks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.projectbeacon.health.HealthResult;
import org.projectbeacon.health.spi.HealthCheck;
import org.projectbeacon.outbox.redis.RedisConnection;
import org.projectbeacon.outbox.redis.RedisConnector;

/**
 * Checks that Redis keeps its data on disk, so that a restart does not lose stream entries nobody
 * has read yet.
 *
 * <p>Reads {@code CONFIG GET appendonly} and {@code CONFIG GET save}. With neither an append-only
 * file nor a save point the check is DEGRADED, saying so with the server's address (from
 * {@code CLIENT INFO}, never the URI, so no password is shown); otherwise UP with the settings as
 * details. Where {@code CONFIG} is refused (renamed away, or denied by an ACL) it falls back to
 * {@code INFO persistence}, which tells whether the append-only file is on but not the save points:
 * then UP, with {@code save} reported as {@code unknown}. Unreachable Redis is DOWN.
 *
 * <p>Holds one connection, opened on the first run and reopened after it is closed; Lettuce
 * reconnects it by itself after an outage. Needs {@code io.lettuce:lettuce-core} and
 * {@code beacon-resilience-outbox} (its {@link RedisConnector}, which makes the check work on a single
 * Redis, a Sentinel set or a Redis Cluster) on the classpath.
 * Thread-safe.
 */
public final class RedisPersistenceCheck implements HealthCheck {

    /** The {@code save} detail when {@code CONFIG} was refused and only {@code INFO} could be read. */
    public static final String UNKNOWN = "unknown";

    private final RedisConnector connector;
    private RedisConnection<String, String> connection;

    private RedisPersistenceCheck(RedisConnector connector) {
        this.connector = Objects.requireNonNull(connector, "connector");
    }

    /** A check over connections from {@code client}; the caller keeps owning the client. Does no I/O. */
    public static RedisPersistenceCheck of(RedisClient client) {
        return new RedisPersistenceCheck(RedisConnector.of(client));
    }

    /**
     * A check on a Redis Cluster, asking the node the cluster connection's keyless commands go to; the
     * caller keeps owning the client. Does no I/O.
     */
    public static RedisPersistenceCheck of(RedisClusterClient client) {
        return new RedisPersistenceCheck(RedisConnector.of(client));
    }

    /** A check over connections from {@code connector}: a single Redis, a Sentinel set or a cluster. Does no I/O. */
    public static RedisPersistenceCheck of(RedisConnector connector) {
        return new RedisPersistenceCheck(connector);
    }

    /** What Redis persists: the append-only setting, the save points ({@code null} when unknown) and where that was read. */
    private record Persistence(String appendonly, String save, String source) {

        static Persistence fromConfig(Map<String, String> config) {
            return new Persistence(config.getOrDefault("appendonly", "no"), config.getOrDefault("save", ""), "CONFIG");
        }

        static Persistence fromInfo(String info) {
            boolean aof = info.lines().anyMatch(l -> l.strip().equals("aof_enabled:1"));
            return new Persistence(aof ? "yes" : "no", null, "INFO persistence");
        }

        boolean keepsNothing() {
            return "no".equalsIgnoreCase(appendonly) && save != null && save.isBlank();
        }

        HealthResult result(String address) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("address", address);
            details.put("appendonly", appendonly);
            details.put("save", save == null ? UNKNOWN : save);
            details.put("source", source);
            if (keepsNothing()) {
                return HealthResult.degraded("Redis at " + address + " keeps no data on disk (appendonly " + appendonly
                        + ", save '" + save + "'): a restart loses unread stream entries; outbox retention"
                        + " (KEEP_UNTIL_DONE) and the reconciler republish them").withDetails(details);
            }
            return HealthResult.up(details);
        }
    }

    @Override
    public CompletionStage<HealthResult> check() {
        RedisClusterAsyncCommands<String, String> async;
        try {
            async = connection().async();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(HealthResult.down(e));
        }
        CompletableFuture<String> address = async.clientInfo().toCompletableFuture()
                .handle((info, e) -> e == null ? localAddress(info) : "unknown address");
        CompletableFuture<Persistence> persistence = async.configGet("appendonly", "save").toCompletableFuture()
                .thenApply(Persistence::fromConfig)
                .exceptionallyCompose(e -> refused(e)
                        ? async.info("persistence").toCompletableFuture().thenApply(Persistence::fromInfo)
                        : CompletableFuture.failedFuture(e));
        return address.thenCombine(persistence, (a, p) -> p.result(a))
                .exceptionally(e -> HealthResult.down(unwrap(e)));
    }

    /** The server address this connection reached: {@code laddr} of {@code CLIENT INFO} (the server's side). */
    private static String localAddress(String clientInfo) {
        for (String field : clientInfo.strip().split(" ")) {
            if (field.startsWith("laddr=")) {
                return field.substring("laddr=".length());
            }
        }
        return "unknown address";
    }

    /** An error reply (unknown command, NOPERM) refuses CONFIG; anything else is an outage. */
    private static boolean refused(Throwable e) {
        return unwrap(e) instanceof RedisCommandExecutionException;
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private synchronized RedisConnection<String, String> connection() {
        if (connection == null || !connection.isOpen()) {
            connection = connector.connect();
        }
        return connection;
    }
}
