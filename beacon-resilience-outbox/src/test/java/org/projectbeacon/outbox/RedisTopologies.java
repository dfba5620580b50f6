package org.projectbeacon.outbox;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.projectbeacon.outbox.redis.RedisConnector;

/**
 * A Redis Cluster or Sentinel set of a test's own, started with {@code scripts/redis-topologies.sh}
 * on ports and a folder nobody else uses, for tests that kill nodes: the shared topologies of
 * {@code .ci/run} stay as they are. Stopped (by PID, folder deleted) on close.
 */
final class RedisTopologies implements AutoCloseable {

    private static final Path SCRIPT = Path.of("..", "scripts", "redis-topologies.sh");

    private final String what;
    private final Map<String, String> env;

    private RedisTopologies(String what, Map<String, String> env) {
        this.what = what;
        this.env = env;
    }

    /** A cluster of 3 masters + 3 replicas on {@code basePort}..{@code basePort + 5}. */
    static RedisTopologies cluster(int basePort) throws IOException, InterruptedException {
        return start("cluster", Map.of("BEACON_CLUSTER_BASE_PORT", Integer.toString(basePort)));
    }

    /** A primary on {@code dataPort}, its replica on the next port, sentinels on {@code sentinelPort}..+2. */
    static RedisTopologies sentinel(int dataPort, int sentinelPort) throws IOException, InterruptedException {
        return start("sentinel", Map.of("BEACON_SENTINEL_DATA_PORT", Integer.toString(dataPort),
                "BEACON_SENTINEL_PORT", Integer.toString(sentinelPort)));
    }

    private static RedisTopologies start(String what, Map<String, String> ports) throws IOException,
            InterruptedException {
        Assumptions.assumeTrue(new File(RedisServerProcess.REDIS_SERVER).canExecute(),
                RedisServerProcess.REDIS_SERVER + " is not installed; skipping");
        Path dir = Files.createTempDirectory("beacon-topology-");
        Map<String, String> env = new java.util.HashMap<>(ports);
        env.put("BEACON_TOPOLOGY_DIR", dir.toString());
        RedisTopologies t = new RedisTopologies(what, env);
        String out = t.run("start");
        if (!out.contains("export")) {
            t.close();
            throw new IllegalStateException("could not start the " + what + ": " + out);
        }
        return t;
    }

    private String run(String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), command, what).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        return out;
    }

    /** The pid of the server on {@code port}, from its pid file. */
    long pid(String node) throws IOException {
        return Long.parseLong(Files.readString(Path.of(env.get("BEACON_TOPOLOGY_DIR"), node, "pid")).strip());
    }

    /** Kills the server in folder {@code node} ({@code cluster-7000}, {@code sentinel-data-7100}) with SIGKILL. */
    void kill9(String node) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-9", Long.toString(pid(node))).start().waitFor(10, TimeUnit.SECONDS);
    }

    /** {@code INFO replication}'s role of the server on {@code port}. */
    static String role(int port) {
        RedisClient c = RedisClient.create("redis://127.0.0.1:" + port);
        try (StatefulRedisConnection<String, String> conn = c.connect()) {
            return conn.sync().info("replication").lines().filter(l -> l.startsWith("role:")).findFirst()
                    .orElse("role:unknown").substring(5).strip();
        } finally {
            c.shutdown();
        }
    }

    /** A connector owning its client, for {@code uri}. */
    static RedisConnector connector(String uri) {
        return RedisConnector.create(uri);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("stop");
    }
}
