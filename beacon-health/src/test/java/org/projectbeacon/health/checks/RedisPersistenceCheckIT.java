package org.projectbeacon.health.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.projectbeacon.health.HealthResult;
import org.projectbeacon.health.HealthStatus;
import org.projectbeacon.resilience.TestServices;

/** The persistence check against the shared Redis (no persistence) and redis-servers of the test's own. */
class RedisPersistenceCheckIT {

    static final String REDIS_SERVER = "/usr/bin/redis-server";

    final List<Process> servers = new ArrayList<>();
    final List<RedisClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        clients.forEach(RedisClient::shutdown);
        for (Process p : servers) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** Starts a redis-server of the test's own on a free loopback port with {@code args}; returns its port. */
    int startServer(String... args) throws Exception {
        Assumptions.assumeTrue(new File(REDIS_SERVER).canExecute(), REDIS_SERVER + " is not installed; skipping");
        int port = TestServices.closedPort();
        Path dir = Files.createTempDirectory("beacon-health-redis-");
        dir.toFile().deleteOnExit();
        List<String> command = new ArrayList<>(List.of(REDIS_SERVER, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString()));
        command.addAll(List.of(args));
        servers.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        return port;
    }

    RedisClient client(String uri) {
        RedisClient client = RedisClient.create(uri);
        clients.add(client);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                return "PONG".equals(c.sync().ping());
            }
        });
        return client;
    }

    static HealthResult run(RedisClient client) throws Exception {
        return RedisPersistenceCheck.of(client).check().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theSharedRedisWithoutPersistenceIsDegraded() throws Exception {
        TestServices.requireRedis();
        HealthResult result = run(client(TestServices.redisUri()));
        assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(result.error()).matches("Redis at \\S+:\\d+ keeps no data on disk \\(appendonly no, save ''\\): a restart"
                + " loses unread stream entries; outbox retention \\(KEEP_UNTIL_DONE\\) and the reconciler republish them");
        assertThat(result.details()).containsEntry("appendonly", "no").containsEntry("save", "").containsEntry("source", "CONFIG");
    }

    @Test
    void aRedisWithoutPersistenceBehindAPasswordIsDegradedWithoutShowingIt() throws Exception {
        int port = startServer("--save", "", "--appendonly", "no", "--requirepass", "s3cret-pw");
        HealthResult result = run(client("redis://:s3cret-pw@127.0.0.1:" + port));
        assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(result.error()).startsWith("Redis at 127.0.0.1:" + port + " keeps no data on disk").doesNotContain("s3cret");
        assertThat(result.details().toString()).doesNotContain("s3cret");
    }

    @Test
    void anAppendOnlyRedisIsUp() throws Exception {
        int port = startServer("--save", "", "--appendonly", "yes");
        HealthResult result = run(client("redis://127.0.0.1:" + port));
        assertThat(result.status()).isEqualTo(HealthStatus.UP);
        assertThat(result.details()).containsEntry("appendonly", "yes").containsEntry("address", "127.0.0.1:" + port)
                .containsEntry("source", "CONFIG");
    }

    @Test
    void whenConfigIsRefusedInfoPersistenceIsRead() throws Exception {
        int port = startServer("--save", "", "--appendonly", "yes", "--rename-command", "CONFIG", "");
        HealthResult result = run(client("redis://127.0.0.1:" + port));
        assertThat(result.status()).isEqualTo(HealthStatus.UP);
        assertThat(result.details()).containsEntry("appendonly", "yes").containsEntry("save", RedisPersistenceCheck.UNKNOWN)
                .containsEntry("source", "INFO persistence");
    }

    @Test
    void anUnreachableRedisIsDown() throws Exception {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + TestServices.closedPort());
        clients.add(client);
        HealthResult result = run(client);
        assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.error()).isNotBlank();
    }
}
