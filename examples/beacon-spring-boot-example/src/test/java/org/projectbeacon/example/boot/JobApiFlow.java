package org.projectbeacon.example.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The job API over HTTP, as a client would use it: jobs posted with an Idempotency-Key are accepted
 * (202), a repeated key answers the same job, and every job reads back COMPLETED; the runbook's
 * {@code /health/ready} and {@code /metrics} answer on the same port.
 */
abstract class JobApiFlow {

    static final int JOBS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void postedJobsCompleteThroughTheLedger() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            HttpResponse<String> accepted = post("job-" + i);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            ids.add(JSON.readTree(accepted.body()).get("id").asText());
        }
        HttpResponse<String> again = post("job-0");
        assertThat(JSON.readTree(again.body()).get("id").asText()).isEqualTo(ids.get(0));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String id : ids) {
                assertThat(get("/api/v1/jobs/" + id).get("status").asText()).as(id).isEqualTo("COMPLETED");
            }
        });
        assertThat(get("/health/ready").get("services").isArray()).isTrue();
        assertThat(send(HttpRequest.newBuilder(uri("/metrics")).build()).body()).contains("jobs_processed_total");
    }

    private HttpResponse<String> post(String key) throws Exception {
        return send(HttpRequest.newBuilder(uri("/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"render\",\"payload\":{\"frame\":\"" + key + "\"}}"))
                .build());
    }

    private JsonNode get(String path) throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(uri(path)).build()).body());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
