package org.projectbeacon.example;

import org.projectbeacon.resilience.TestServices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.example.jobs.JobStatus;

/** The example on the real PostgreSQL and Redis: every job processed exactly once, and region fallback. */
class RunnerPostgresRedisIT {

    private static final String TOKEN = "it-runner-token-0123456789";

    private final String prefix = "ex" + Long.toString(System.nanoTime(), 36);
    private Runner runner;
    private RunnerClient client;

    @BeforeEach
    void start() throws Exception {
        TestServices.requirePostgres();
        TestServices.requireRedis();
        runner = Runner.start(new RunnerConfig("127.0.0.1", 0, TestServices.postgresUrl(), TestServices.redisUri(),
                null, TOKEN, prefix, Clock.systemUTC()));
        client = new RunnerClient(runner.port(), TOKEN);
    }

    @AfterEach
    void stop() throws Exception {
        if (runner != null) {
            runner.close();
        }
        try (Connection connection = DriverManager.getConnection(TestServices.postgresUrl());
                Statement statement = connection.createStatement()) {
            for (String table : List.of("_jobs", "_job_history", "_outbox", "_outbox_dead_letter", "_processing_ledger")) {
                statement.execute("DROP TABLE IF EXISTS " + prefix + table + " CASCADE");
            }
        }
        RedisClient redis = RedisClient.create(TestServices.redisUri());
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            connection.sync().del(prefix + ":jobs", prefix + ":jobs:dead");
        } finally {
            redis.shutdown();
        }
    }

    @Test
    void aThousandJobsAreEachProcessedExactlyOnce() throws Exception {
        ExecutorService submitters = Executors.newFixedThreadPool(8);
        List<Future<String>> ids = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            ids.add(submitters.submit(() -> client.submit(null)));
        }
        for (Future<String> id : ids) {
            id.get();
        }
        submitters.shutdown();

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() ->
                runner.jobs().countByStatus().getOrDefault(JobStatus.COMPLETED, 0) == 1_000);
        assertThat(runner.jobs().completedMoreThanOnce()).isZero();
        assertThat(client.metric("jobs_enqueued_total", "")).isEqualTo(1_000.0);
        assertThat(client.metric("jobs_processed_total", "outcome=\"success\"")).isEqualTo(1_000.0);
        RedisClient redis = RedisClient.create(TestServices.redisUri());
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            assertThat(connection.sync().xlen(prefix + ":jobs")).as("one stream entry per job").isEqualTo(1_000L);
        } finally {
            redis.shutdown();
        }
    }

    @Test
    void aJobThatKeepsFailingEndsInTheDeadLetterQueueAndARequeueAfterTheFixCompletesIt() throws Exception {
        assertThat(client.adminPost("/api/v1/admin/faults", "{\"target\":\"ipfs\",\"failure_rate\":1.0}").statusCode())
                .isEqualTo(201);
        String id = client.submit(null);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() ->
                client.json(client.send("/api/v1/admin/dlq")).get("total").asInt() == 1);
        var letter = client.json(client.send("/api/v1/admin/dlq")).get("items").get(0);
        assertThat(letter.get("attempts").asInt()).isEqualTo(org.projectbeacon.example.jobs.JobWorker.MAX_ATTEMPTS);
        assertThat(letter.get("error_class").asText()).isEqualTo("java.io.IOException");
        assertThat(client.json(client.get("/api/v1/jobs/" + id)).get("status").asText()).isEqualTo("FAILED");

        client.adminDelete("/api/v1/admin/faults");
        var requeued = client.adminPost("/api/v1/admin/dlq/requeue", "{\"ids\":[\"" + letter.get("id").asText() + "\"]}");
        assertThat(client.json(requeued).get("requeued").asInt()).as(requeued.body()).isEqualTo(1);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() ->
                client.json(client.get("/api/v1/jobs/" + id)).get("status").asText().equals("COMPLETED"));
        assertThat(client.json(client.get("/api/v1/jobs/" + id)).get("processed_count").asInt()).isOne();
    }

    @Test
    void withEveryLhrProviderFailingJobsStillCompleteThroughTheOtherRegions() throws Exception {
        assertThat(client.adminPost("/api/v1/admin/faults",
                "{\"target\":\"provider\",\"region\":\"lhr\",\"failure_rate\":1.0}").statusCode()).isEqualTo(201);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(client.submit("lhr"));
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() ->
                runner.jobs().countByStatus().getOrDefault(JobStatus.COMPLETED, 0) == ids.size());
        assertThat(client.metric("beacon_region_fallbacks_total", "from=\"lhr\"")).isEqualTo(40.0);
        assertThat(client.json(client.get("/api/v1/jobs/" + ids.get(0))).get("status").asText()).isEqualTo("COMPLETED");
        assertThat(client.metric("negotiation_probes_total", "outcome=\"failure\",region=\"lhr\"")).isPositive();
    }
}
