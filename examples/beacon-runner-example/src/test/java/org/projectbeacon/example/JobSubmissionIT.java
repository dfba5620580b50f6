package org.projectbeacon.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.example.jobs.JobStatus;

/**
 * {@code POST /api/v1/jobs} as a client sees it, on the embedded default: an {@code Idempotency-Key}
 * makes a retry answer the same job, bad input is a 400 that stores nothing.
 */
class JobSubmissionIT {

    private static final String BODY = "{\"type\":\"render\",\"payload\":{\"frame\":3}}";

    private final HttpClient http = HttpClient.newHttpClient();
    private Runner runner;
    private RunnerClient client;

    @BeforeEach
    void start() throws Exception {
        runner = Runner.start(new RunnerConfig("127.0.0.1", 0, null, null, null, "submission-token-0123",
                "submit" + Long.toString(System.nanoTime(), 36), Clock.systemUTC()));
        client = new RunnerClient(runner.port(), "submission-token-0123");
    }

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.close();
        }
    }

    private HttpResponse<String> post(byte[] body, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.port() + "/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int jobCount() throws Exception {
        return runner.jobs().countByStatus().values().stream().mapToInt(Integer::intValue).sum();
    }

    @Test
    void theSameIdempotencyKeyAnswersTheSameJobOnceAndForAll() throws Exception {
        HttpResponse<String> first = post(BODY.getBytes(StandardCharsets.UTF_8), "order-42");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String id = client.json(first).get("id").asText();

        HttpResponse<String> again = post(BODY.getBytes(StandardCharsets.UTF_8), "order-42");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(client.json(again).get("id").asText()).isEqualTo(id);

        HttpResponse<String> other = post("{\"type\":\"render\",\"payload\":{\"frame\":4}}".getBytes(StandardCharsets.UTF_8),
                "order-42");
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(other.body()).contains("order-42").contains("different job");
        assertThat(jobCount()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.json(client.get("/api/v1/jobs/" + id)).get("status").asText().equals("COMPLETED"));
    }

    @Test
    void concurrentRetriesWithOneKeyMakeOneJob() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> post(BODY.getBytes(StandardCharsets.UTF_8), "race-1")));
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            int accepted = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertThat(response.statusCode()).as(response.body()).isIn(200, 202);
                accepted += response.statusCode() == 202 ? 1 : 0;
                ids.add(client.json(response).get("id").asText());
            }
            assertThat(accepted).isOne();
            assertThat(ids).hasSize(1);
            assertThat(jobCount()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badInputIsA400NamingTheProblemAndStoresNothing() throws Exception {
        byte[] latin1 = "{\"type\":\"render\",\"payload\":{\"name\":\"caf\u00e9\"}}".getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> notUtf8 = post(latin1, null);
        assertThat(notUtf8.statusCode()).isEqualTo(400);
        assertThat(notUtf8.body()).contains("valid UTF-8").doesNotContain("Exception");

        assertThat(post("{\"type\":\"render\"".getBytes(StandardCharsets.UTF_8), null).statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = post("{\"type\":\"render\",\"payload\":{},\"prio\":1}".getBytes(StandardCharsets.UTF_8), null);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("prio");
        HttpResponse<String> escaped = post("{\"type\":\"render\",\"payload\":{\"n\":\"\\ud800\"}}".getBytes(StandardCharsets.UTF_8), null);
        assertThat(escaped.statusCode()).as(escaped.body()).isEqualTo(400);
        assertThat(escaped.body()).contains("surrogate");
        HttpResponse<String> badKey = post(BODY.getBytes(StandardCharsets.UTF_8), "x".repeat(201));
        assertThat(badKey.statusCode()).isEqualTo(400);
        assertThat(badKey.body()).contains("Idempotency-Key");
        assertThat(jobCount()).isZero();

        HttpResponse<String> utf8 = post("{\"type\":\"render\",\"payload\":{\"name\":\"caf\u00e9\"}}".getBytes(StandardCharsets.UTF_8), null);
        assertThat(utf8.statusCode()).isEqualTo(202);
        String id = client.json(utf8).get("id").asText();
        assertThat(client.json(client.get("/api/v1/jobs/" + id)).get("payload").get("name").asText()).isEqualTo("caf\u00e9");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                runner.jobs().countByStatus().getOrDefault(JobStatus.COMPLETED, 0) == 1);
    }
}
