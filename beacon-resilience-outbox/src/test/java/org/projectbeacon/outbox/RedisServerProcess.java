package org.projectbeacon.outbox;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code redis-server} of the test's own, on a free loopback port, that the test may stop and start
 * again: the shared Redis is never stopped. Its data directory is a temporary folder; nothing is saved
 * unless {@link #shutdownSaving()} asks for it, so a plain {@link #stop()} loses everything, as a
 * crash of a Redis without persistence would.
 *
 * <p>Public, and shipped in this module's test-jar, for the example's end-to-end chaos suite.
 */
public final class RedisServerProcess implements AutoCloseable {

    /** Where the server binary is expected. */
    public static final String REDIS_SERVER = "/usr/bin/redis-server";

    private final int port;
    private final Path dir;
    private Process process;

    private RedisServerProcess(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** Starts a server on a free port; skips the test when redis-server is not installed (fails it with CI=true). */
    public static RedisServerProcess start() throws IOException {
        if (!new File(REDIS_SERVER).canExecute()) {
            // Skips outside CI, fails with CI=true: a missing service never passes silently there.
            org.projectbeacon.resilience.TestServices.unavailable("redis-server", REDIS_SERVER + " is not installed");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RedisServerProcess server = new RedisServerProcess(port, Files.createTempDirectory("beacon-redis-"));
        server.startAgain();
        return server;
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** Its {@code redis://} URI. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server (again), loading what {@link #shutdownSaving()} left, and waits for PONG. */
    public void startAgain() throws IOException {
        process = new ProcessBuilder(REDIS_SERVER, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--dbfilename", "dump.rdb")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        RedisClient probe = RedisClient.create(uri());
        try {
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                try (StatefulRedisConnection<String, String> c = probe.connect()) {
                    return "PONG".equals(c.sync().ping());
                }
            });
        } finally {
            probe.shutdown();
        }
    }

    /**
     * Stops the server after it wrote its data to disk ({@code SHUTDOWN SAVE}), so that
     * {@link #startAgain()} brings back every entry it had acknowledged: an orderly stop of a
     * persistent Redis.
     */
    public void shutdownSaving() throws IOException, InterruptedException {
        Process cli = new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "SHUTDOWN", "SAVE")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        cli.waitFor(30, TimeUnit.SECONDS);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("redis-server on port " + port + " did not shut down");
        }
        process = null;
    }

    /** Stops the server, keeping nothing. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
