package org.projectbeacon.example;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real PostgreSQL and Redis the example's integration tests use ({@code BEACON_PG_URL},
 * {@code BEACON_REDIS_URI}); unreachable services skip the test locally and fail it in CI.
 */
final class TestServices {

    private TestServices() {}

    static String postgresUrl() {
        return env("BEACON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    }

    static String redisUri() {
        return env("BEACON_REDIS_URI", "redis://127.0.0.1:6379");
    }

    static void require() {
        URI pg = URI.create(postgresUrl().substring("jdbc:".length()));
        reachable("PostgreSQL", pg.getHost(), pg.getPort() < 0 ? 5432 : pg.getPort());
        URI redis = URI.create(redisUri());
        reachable("Redis", redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort());
    }

    private static void reachable(String service, String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
        } catch (IOException e) {
            String message = service + " is not reachable at " + host + ":" + port;
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
