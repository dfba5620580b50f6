package org.projectbeacon.health.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.health.HealthAggregator;
import org.projectbeacon.health.HealthResult;

/**
 * Real HTTP on loopback: the ops plane (health, metrics, admin) answers while every application
 * worker is blocked and the application queue is full, and requests beyond the queue get 503 with
 * {@code Retry-After}. The operational target is an answer within 100 ms under saturation; this test
 * proves the mechanism (the ops requests are served, not queued behind the app) without timing
 * anything, and {@code benchmarks} is where latency is measured.
 */
class OpsPlaneIsolationIT {

    private static final String TOKEN = "ops-plane-admin-token-42";
    private static final int APP_THREADS = 2;
    private static final int APP_QUEUE = 2;
    private static final int APP_REQUESTS = 10;
    /** A guard against a hang, not an assertion on speed. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger entered = new AtomicInteger();
    private final AtomicInteger adminCalls = new AtomicInteger();
    private HealthAggregator health;
    private BeaconEndpoints endpoints;
    private BeaconHttpServer server;

    @BeforeEach
    void start() throws Exception {
        health = HealthAggregator.builder()
                .check("ipfs", () -> CompletableFuture.completedFuture(HealthResult.up(Map.of())))
                .build();
        health.refreshNow();
        endpoints = BeaconEndpoints.builder()
                .health(health)
                .metrics(prometheus)
                .adminToken(TOKEN)
                .maxBodyBytes(16)
                .route(Route.of("GET", "/api/v1/slow", request -> {
                    entered.incrementAndGet();
                    release.await();
                    return HttpResponse.json(200, "{\"done\":true}".getBytes());
                }))
                .route(Route.of("POST", "/api/v1/echo", request -> HttpResponse.json(200, request.body())))
                .route(Route.admin("DELETE", "/api/v1/admin/faults", request -> {
                    adminCalls.incrementAndGet();
                    return HttpResponse.json(200, "{\"cleared\":true}".getBytes());
                }))
                .build();
        endpoints.bindTo(prometheus);
        server = BeaconHttpServer.builder(endpoints).port(0).threads(APP_THREADS).queueCapacity(APP_QUEUE).build().start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
        health.close();
    }

    @Test
    void metricsLiveAndAdminAnswerWithin100msWhileTheAppRoutesAreSaturatedAndTheOverflowGets503() throws Exception {
        List<CompletableFuture<java.net.http.HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < APP_REQUESTS; i++) {
            slow.add(http.sendAsync(request("/api/v1/slow").GET().build(), BodyHandlers.ofString()));
        }
        int overflow = APP_REQUESTS - APP_THREADS - APP_QUEUE;
        // Saturated: every app worker blocked in the handler, the queue full, the rest refused.
        await().atMost(HANG_GUARD).until(() -> entered.get() == APP_THREADS && answered(slow, 503) == overflow);

        java.net.http.HttpResponse<String> metrics = send(request("/metrics").GET());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/slow\","
                + "status=\"503\"} " + overflow);
        java.net.http.HttpResponse<String> live = send(request("/health/live").GET());
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(send(request("/health/ready").GET()).statusCode()).isEqualTo(200);
        java.net.http.HttpResponse<String> admin = send(request("/api/v1/admin/faults").DELETE()
                .header("Authorization", "Bearer " + TOKEN));
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(adminCalls).hasValue(1);
        assertThat(entered).as("still saturated while the ops plane answered").hasValue(APP_THREADS);

        for (CompletableFuture<java.net.http.HttpResponse<String>> refused : slow) {
            if (refused.isDone() && refused.get().statusCode() == 503) {
                assertThat(refused.get().headers().firstValue("Retry-After")).contains("1");
                assertThat(refused.get().headers().firstValue("Content-Type")).contains(HttpResponse.JSON);
                assertThat(refused.get().body())
                        .isEqualTo("{\"error\":\"server busy: the request queue is full, retry later\"}");
            }
        }

        release.countDown();
        await().atMost(HANG_GUARD).until(() -> slow.stream().allMatch(CompletableFuture::isDone));
        assertThat(answered(slow, 200)).as("the queued requests are served once workers free up")
                .isEqualTo(APP_THREADS + APP_QUEUE);
    }

    @Test
    void headIsAnsweredForGetRoutesWithTheSameHeadersAndNoBody() throws Exception {
        java.net.http.HttpResponse<String> get = send(request("/health/live").GET());
        java.net.http.HttpResponse<String> head = send(request("/health/live").method("HEAD", BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Type")).isEqualTo(get.headers().firstValue("Content-Type"));
        assertThat(head.headers().firstValue("Content-Length")).contains(Integer.toString(get.body().length()));

        java.net.http.HttpResponse<String> headMetrics = send(request("/metrics").method("HEAD", BodyPublishers.noBody()));
        assertThat(headMetrics.statusCode()).as("was 405 (issue 17)").isEqualTo(200);
        assertThat(headMetrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));

        java.net.http.HttpResponse<String> headAdmin = send(request("/api/v1/admin/faults")
                .method("HEAD", BodyPublishers.noBody()).header("Authorization", "Bearer " + TOKEN));
        assertThat(headAdmin.statusCode()).as("HEAD only where GET is served").isEqualTo(405);
        assertThat(adminCalls).hasValue(0);
    }

    @Test
    void theServersOwnErrorsAreJsonWithoutExceptionNames() throws Exception {
        java.net.http.HttpResponse<String> tooLarge = send(request("/api/v1/echo")
                .POST(BodyPublishers.ofString("x".repeat(17))));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("Content-Type")).contains(HttpResponse.JSON);
        assertThat(new ObjectMapper().readTree(tooLarge.body()).get("error").asText())
                .isEqualTo("request body larger than 16 bytes");

        java.net.http.HttpResponse<String> unknown = send(request("/nothing").GET());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).contains(HttpResponse.JSON);
        for (java.net.http.HttpResponse<String> response : List.of(tooLarge, unknown)) {
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("<h1>");
        }
    }

    @Test
    void anOpsPortServesTheOpsPlaneOnlyWhileTheMainPortServesBoth() throws Exception {
        server.close();
        server = BeaconHttpServer.builder(endpoints).port(0).opsPort(0).build().start();
        assertThat(server.opsPort()).isNotEqualTo(server.port());
        java.net.http.HttpRequest.Builder live = java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.opsPort() + "/health/live"));
        assertThat(send(live.GET()).statusCode()).isEqualTo(200);
        java.net.http.HttpResponse<String> app = send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.opsPort() + "/api/v1/echo")).POST(BodyPublishers.ofString("{}")));
        assertThat(app.statusCode()).isEqualTo(404);
        assertThat(app.body()).isEqualTo("{\"error\":\"the ops port serves only health, metrics and admin routes\"}");
        assertThat(send(request("/health/live").GET()).statusCode()).isEqualTo(200);
        assertThat(send(request("/api/v1/echo").POST(BodyPublishers.ofString("{}"))).body()).isEqualTo("{}");
    }

    @Test
    void theBuilderRejectsBadPlaneSettingsNamingFieldAndValue() {
        assertThatThrownBy(() -> BeaconHttpServer.builder(endpoints).threads(0))
                .hasMessage("threads must be in [1, 1024] but was 0");
        assertThatThrownBy(() -> BeaconHttpServer.builder(endpoints).queueCapacity(-1))
                .hasMessage("queueCapacity must be in [0, 100000] but was -1");
        assertThatThrownBy(() -> BeaconHttpServer.builder(endpoints).opsThreads(65))
                .hasMessage("opsThreads must be in [1, 64] but was 65");
        assertThatThrownBy(() -> BeaconHttpServer.builder(endpoints).opsPort(65536))
                .hasMessage("opsPort must be in [0, 65535] but was 65536");
    }

    private static int answered(List<CompletableFuture<java.net.http.HttpResponse<String>>> futures, int status) {
        return (int) futures.stream()
                .filter(future -> future.isDone() && !future.isCompletedExceptionally())
                .filter(future -> future.join().statusCode() == status)
                .count();
    }

    private java.net.http.HttpResponse<String> send(java.net.http.HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(HANG_GUARD).build(), BodyHandlers.ofString());
    }

    private java.net.http.HttpRequest.Builder request(String path) {
        return java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    }
}
