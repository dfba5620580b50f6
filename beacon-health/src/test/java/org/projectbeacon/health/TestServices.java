package org.projectbeacon.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real services integration tests talk to, from {@code BEACON_PG_URL} and
 * {@code BEACON_REDIS_URI} with the machine's defaults. An unreachable service skips the test on a
 * developer machine and fails it in CI ({@code CI=true}), so CI never passes by skipping.
 */
public final class TestServices {

    private TestServices() {}

    /** The PostgreSQL JDBC URL. */
    public static String postgresUrl() {
        return env("BEACON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    }

    /** The Redis URI. */
    public static String redisUri() {
        return env("BEACON_REDIS_URI", "redis://127.0.0.1:6379");
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

    /**
     * A fresh lower-case prefix such as {@code outbox_ep_3fa2c1_}, valid as an outbox table prefix and
     * as part of a Redis key, so test classes sharing PostgreSQL or Redis never meet.
     */
    public static String prefix(String base) {
        return (base + "_" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffL) + "_")
                .toLowerCase(java.util.Locale.ROOT);
    }

    private static void require(String service, String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
        } catch (IOException e) {
            String message = service + " is not reachable at " + host + ":" + port + " (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message + "; CI requires it");
            }
            Assumptions.abort(message + "; skipping outside CI");
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
