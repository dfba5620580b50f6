package org.projectbeacon.resilience;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real services integration tests talk to, from {@code BEACON_PG_URL}, {@code BEACON_MARIADB_URL}
 * and {@code BEACON_REDIS_URI} with this machine's defaults, and the Redis Cluster and Sentinel of
 * {@code BEACON_REDIS_CLUSTER_URI} and {@code BEACON_REDIS_SENTINEL_URI}, which have none. An
 * unset or unreachable service skips the test on a developer machine and fails it in CI ({@code CI=true}), so CI never passes by skipping.
 * Shared with every module's tests through core's test-jar.
 */
public final class TestServices {

    private TestServices() {}

    /** The PostgreSQL JDBC URL. */
    public static String postgresUrl() {
        return env("BEACON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    }

    /** The MariaDB JDBC URL. */
    public static String mariadbUrl() {
        return env("BEACON_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test?user=root");
    }

    /** The Redis URI. */
    public static String redisUri() {
        return env("BEACON_REDIS_URI", "redis://127.0.0.1:6379");
    }

    /**
     * The Redis Cluster seed URI from {@code BEACON_REDIS_CLUSTER_URI} ({@code scripts/redis-topologies.sh
     * start} prints it); skips when unset or unreachable, or fails with {@code CI=true}.
     */
    public static String clusterUri() {
        String uri = requiredEnv("BEACON_REDIS_CLUSTER_URI", "Redis Cluster");
        URI parsed = URI.create(uri);
        require("Redis Cluster", parsed.getHost(), parsed.getPort() < 0 ? 6379 : parsed.getPort());
        return uri;
    }

    /**
     * The Sentinel URI ({@code redis-sentinel://host:port,...#master}) from {@code BEACON_REDIS_SENTINEL_URI};
     * skips when unset or its first sentinel is unreachable, or fails with {@code CI=true}.
     */
    public static String sentinelUri() {
        String uri = requiredEnv("BEACON_REDIS_SENTINEL_URI", "Redis Sentinel");
        String first = uri.substring(uri.indexOf("://") + 3).split("[,#/?]")[0];
        int colon = first.lastIndexOf(':');
        require("Redis Sentinel", first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
        return uri;
    }

    private static String requiredEnv(String name, String service) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            unavailable(service, name + " is not set; scripts/redis-topologies.sh start prints it");
        }
        return value;
    }

    /** Skips (or, in CI, fails) unless PostgreSQL answers. */
    public static void requirePostgres() {
        URI uri = URI.create(postgresUrl().substring("jdbc:".length()));
        require("PostgreSQL", uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
    }

    /** Skips (or, in CI, fails) unless Redis answers. */
    public static void requireRedis() {
        URI uri = URI.create(redisUri());
        require("Redis", uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
    }

    /** A local port nothing listens on. */
    public static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A fresh lower-case prefix, so test classes sharing a database or Redis never meet. */
    public static String prefix(String base) {
        return (base + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL) + "_")
                .toLowerCase(Locale.ROOT);
    }

    /**
     * Reports {@code service} unreachable: fails in CI, otherwise prints a line the build log shows
     * (an abort in {@code @BeforeAll} reports no skipped test) and skips.
     */
    public static void unavailable(String service, String reason) {
        String message = service + " is unreachable (" + reason + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + "; CI=true requires it");
        }
        System.err.println("[SKIPPED] " + message + "; set CI=true to fail instead");
        Assumptions.abort(message + "; skipping outside CI");
    }

    private static void require(String service, String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
        } catch (IOException e) {
            unavailable(service + " at " + host + ":" + port, e.getMessage());
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
