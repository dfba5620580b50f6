package org.projectbeacon.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each drill's fault moves its alert's metric across the alert's threshold, read from
 * {@code /metrics} as Prometheus would; on the embedded default, so no server is needed.
 */
class RunbookDrillsIT {

    private static final String TOKEN = "drill-token-0123456789";

    private final MovableClock clock = new MovableClock();
    private Runner runner;
    private RunnerClient client;

    private void start() throws Exception {
        runner = Runner.start(new RunnerConfig("127.0.0.1", 0, null, null, null, TOKEN,
                "drill" + Long.toString(System.nanoTime(), 36), clock));
        client = new RunnerClient(runner.port(), TOKEN);
    }

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void highJobFailureRate() throws Exception {
        start();
        fault("{\"target\":\"provider\",\"region\":\"*\",\"failure_rate\":1.0}");
        for (int i = 0; i < 5; i++) {
            client.submit(null);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> client.metric("jobs_processed_total", "") >= 5);
        double failures = client.metric("jobs_processed_total", "outcome=\"failure\"");
        double all = client.metric("jobs_processed_total", "");
        assertThat(failures / all).as("failure ratio").isGreaterThan(0.10);
    }

    @Test
    void lowNegotiationSuccessRate() throws Exception {
        start();
        fault("{\"target\":\"provider\",\"region\":\"lhr\",\"failure_rate\":1.0}");
        for (int i = 0; i < 10; i++) {
            client.submit("lhr");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> client.metric("jobs_processed_total", "outcome=\"success\"") >= 10);
        double success = client.metric("negotiation_probes_total", "outcome=\"success\"");
        double all = client.metric("negotiation_probes_total", "");
        assertThat(success / all).as("probe success ratio").isLessThan(0.7);
    }

    @Test
    void jobsStuckInQueue() throws Exception {
        start();
        fault("{\"target\":\"publisher\",\"paused\":true}");
        for (int i = 0; i < 11; i++) {
            client.submit(null);
        }
        clock.advance(Duration.ofMinutes(6));
        runner.monitor().refresh();
        assertThat(client.metric("outbox_unpublished_count", "")).isGreaterThan(10.0);
        assertThat(client.metric("outbox_oldest_unpublished_age_seconds", "")).isGreaterThan(300.0);

        client.adminDelete("/api/v1/admin/faults");
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            runner.monitor().refresh();
            return client.metric("outbox_unpublished_count", "") == 0.0;
        });
    }

    @Test
    void highHttpLatency() throws Exception {
        start();
        fault("{\"target\":\"api\",\"latency_ms\":2100}");
        for (int i = 0; i < 3; i++) {
            client.submit(null);
        }
        double fast = client.metric("http_request_duration_seconds_bucket", "route=\"/api/v1/jobs\",status=\"202\",le=\"2.0\"");
        double all = client.metric("http_request_duration_seconds_count", "route=\"/api/v1/jobs\",status=\"202\"");
        assertThat(all).isEqualTo(3.0);
        assertThat(fast / all).as("share of requests within 2 s, below 0.95 means p95 > 2 s").isLessThan(0.95);
    }

    @Test
    void runnerDown() throws Exception {
        start();
        assertThat(client.get("/metrics").statusCode()).isEqualTo(200);
        fault("{\"target\":\"metrics\",\"down\":true}");
        var scrape = client.get("/metrics");
        assertThat(scrape.statusCode()).as("a failed scrape makes up 0").isEqualTo(503);
        assertThat(scrape.body()).doesNotContain("jobs_");
        assertThat(client.get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void deadLetterQueueRequeue() throws Exception {
        start();
        fault("{\"target\":\"sink\",\"down\":true}");
        String id = client.submit(null);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                client.json(client.send("/api/v1/admin/dlq")).get("total").asInt() == 1);
        var patterns = client.json(client.send("/api/v1/admin/dlq/patterns")).get("patterns");
        assertThat(patterns.get(0).get("error_class").asText()).isEqualTo("java.io.IOException");
        assertThat(client.json(client.get("/api/v1/jobs/" + id)).get("status").asText()).isEqualTo("QUEUED");

        client.adminDelete("/api/v1/admin/faults");
        var requeued = client.adminPost("/api/v1/admin/dlq/requeue", "{\"ids\":[\"" + id + "\"]}");
        assertThat(requeued.statusCode()).as(requeued.body()).isEqualTo(200);
        assertThat(client.json(requeued).get("requeued").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                client.json(client.get("/api/v1/jobs/" + id)).get("status").asText().equals("COMPLETED"));
    }

    @Test
    void faultsAreValidatedAndListed() throws Exception {
        start();
        var bad = client.adminPost("/api/v1/admin/faults", "{\"target\":\"provider\",\"failure_rate\":2}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("failure_rate must be in [0, 1] but was 2.0");
        var unknown = client.adminPost("/api/v1/admin/faults", "{\"target\":\"moon\"}");
        assertThat(unknown.body()).contains("target must be one of").contains("'moon'");
        fault("{\"target\":\"ipfs\",\"latency_ms\":10}");
        assertThat(client.json(client.send("/api/v1/admin/faults")).get("faults").get(0).get("target").asText())
                .isEqualTo("ipfs");
        var anonymous = client.post("/api/v1/admin/faults", "{\"target\":\"ipfs\"}");
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void badJobsAreRejectedNamingTheField() throws Exception {
        start();
        assertThat(client.post("/api/v1/jobs", "{\"payload\":{}}").body()).contains("type is required");
        assertThat(client.post("/api/v1/jobs", "{\"type\":\"render\"}").body()).contains("payload is required");
        assertThat(client.post("/api/v1/jobs", "{\"type\":\"render\",\"payload\":{},\"region\":\"syd\"}").body())
                .contains("region must be one of [lhr, fra, ams] but was").contains("syd");
        assertThat(client.post("/api/v1/jobs", "{\"type\":").statusCode()).isEqualTo(400);
        assertThat(client.get("/api/v1/jobs/not-a-uuid").body()).contains("id must be a UUID but was 'not-a-uuid'");
        assertThat(client.get("/api/v1/jobs/" + java.util.UUID.randomUUID()).statusCode()).isEqualTo(404);
    }

    @Test
    void publisherRestartRefusesToUndoAPauseFaultAndSaysHowToLiftIt() throws Exception {
        start();
        fault("{\"target\":\"publisher\",\"paused\":true}");
        var refused = client.adminPost("/api/v1/admin/outbox/publisher/restart", "");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(refused.body()).contains("paused by the drill fault 'publisher'").contains("DELETE /api/v1/admin/faults");
        assertThat(client.json(client.send("/api/v1/admin/outbox/publisher")).get("running").asBoolean())
                .as("still paused").isFalse();

        client.adminDelete("/api/v1/admin/faults");
        assertThat(client.json(client.send("/api/v1/admin/outbox/publisher")).get("running").asBoolean()).isTrue();
        var restarted = client.adminPost("/api/v1/admin/outbox/publisher/restart", "");
        assertThat(restarted.statusCode()).as(restarted.body()).isEqualTo(200);
    }

    @Test
    void faultRegionsArePlainNames() throws Exception {
        start();
        var bad = client.adminPost("/api/v1/admin/faults",
                "{\"target\":\"provider\",\"region\":\"lhr\\nINFO forged line\",\"failure_rate\":1}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("region must be a region name").contains("lhr?INFO forged line")
                .doesNotContain("\\n");
        fault("{\"target\":\"provider\",\"region\":\"*\",\"failure_rate\":1}");
    }

    private void fault(String json) throws Exception {
        var response = client.adminPost("/api/v1/admin/faults", json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    /** Real time plus an offset the drill moves forward, to make a backlog old without waiting. */
    static final class MovableClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void advance(Duration duration) {
            offset = offset.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }
}
