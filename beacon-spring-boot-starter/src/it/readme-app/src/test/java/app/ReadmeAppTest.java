package app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.projectbeacon.outbox.InProcessSink;
import org.projectbeacon.outbox.spi.OutboxSink;
import org.projectbeacon.resilience.GuardRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The README's application (App.java and application.properties copied out of the README by
 * prebuild.groovy) on its defaults, H2 and the in-process stream: the guarded call answers through
 * the guard, an enqueued message is published after its transaction, /actuator/health is UP, and the
 * runbook's admin path wants the token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReadmeAppTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

    @Autowired
    GuardRegistry guards;

    @Autowired
    OutboxSink sink;

    @Test
    void guardedCallOutboxAndHealthWorkOnTheDefaults() throws Exception {
        HttpResponse<String> quote = send(HttpRequest.newBuilder(uri("/quote")).GET());
        assertThat(quote.statusCode()).isEqualTo(200);
        assertThat(quote.body()).isEqualTo("42");
        assertThat(guards.guard("golem").circuitBreaker().getMetrics().getNumberOfSuccessfulCalls()).isOne();

        assertThat(sink).as("the embedded default sink").isInstanceOf(InProcessSink.class);
        List<String> published = new CopyOnWriteArrayList<>();
        ((InProcessSink) sink).subscribe("jobs", r -> published.add(r.key()));
        HttpResponse<String> job = send(HttpRequest.newBuilder(uri("/jobs"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"render\"}")));
        assertThat(job.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> published.contains(job.body()));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/actuator/health")).GET());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(health.body());
            assertThat(body.path("status").asText()).as(health.body()).isEqualTo("UP");
            assertThat(body.path("components").path("beacon").path("status").asText()).as(health.body()).isEqualTo("UP");
        });

        HttpRequest.Builder reset = HttpRequest.newBuilder(uri("/api/v1/admin/circuit-breakers/reset"))
                .POST(HttpRequest.BodyPublishers.noBody());
        assertThat(send(reset).statusCode()).isEqualTo(401);
        assertThat(send(reset.header("Authorization", "Bearer " + System.getenv("ADMIN_TOKEN"))).statusCode())
                .isEqualTo(200);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
