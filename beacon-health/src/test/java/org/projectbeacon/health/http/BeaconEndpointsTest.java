package org.projectbeacon.health.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.health.CheckOptions;
import org.projectbeacon.health.HealthAggregator;
import org.projectbeacon.health.HealthResult;
import org.projectbeacon.health.checks.BreakerHealthCheck;
import org.projectbeacon.resilience.Guard;
import org.projectbeacon.resilience.GuardConfig;
import org.projectbeacon.resilience.GuardRegistry;

class BeaconEndpointsTest {

    private static final String TOKEN = "s3cret-admin-token-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GuardRegistry guards = GuardRegistry.ofDefaults();
    private final Guard golem = guards.guard("golem", GuardConfig.builder()
            .slidingWindowSize(2).minimumNumberOfCalls(2).retryMaxAttempts(1).withoutTimeout().build());
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HealthAggregator health = HealthAggregator.builder()
            .check("golem", BreakerHealthCheck.of(golem, guards.admin()), CheckOptions.builder().failuresToDown(1).build())
            .check("ipfs", () -> CompletableFuture.completedFuture(HealthResult.up(Map.of("version", "0.29"))))
            .build();
    private final BeaconEndpoints endpoints = BeaconEndpoints.builder()
            .health(health)
            .metrics(prometheus)
            .breakerAdmin(guards.admin())
            .adminToken(TOKEN)
            .maxBodyBytes(1024)
            .route(Route.admin("POST", "/api/v1/admin/echo", request -> BeaconEndpoints.json(200, request.bodyAsJson())))
            .build();

    BeaconEndpointsTest() {
        endpoints.bindTo(prometheus);
        guards.metrics().bindTo(prometheus);
    }

    @AfterEach
    void tearDown() {
        health.close();
        guards.close();
    }

    @Test
    void liveIsUpWhateverTheDependencies() throws Exception {
        openGolem();
        health.refreshNow();
        HttpResponse response = get("/health/live");
        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(JSON.readTree("{\"status\":\"UP\"}"));
    }

    @Test
    void readyHasTheRunbooksShapeFieldByField() throws Exception {
        health.refreshNow();
        HttpResponse response = get("/health/ready");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(response.headers()).containsKey("Age");
        JsonNode body = json(response);
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(java.time.Instant.parse(body.get("checked_at").asText())).isNotNull();
        JsonNode golemService = body.get("services").get(0);
        assertThat(golemService.get("name").asText()).isEqualTo("golem");
        assertThat(golemService.get("status").asText()).isEqualTo("UP");
        assertThat(golemService.get("critical").asBoolean()).isTrue();
        assertThat(golemService.get("latency_ms").isNumber()).isTrue();
        assertThat(golemService.get("error").isNull()).isTrue();
        JsonNode stats = golemService.get("circuit_breaker_stats");
        assertThat(stats.get("state").asText()).isEqualTo("CLOSED");
        assertThat(stats.get("failure_rate").isNull()).as("null, not -1, below the minimum calls").isTrue();
        assertThat(stats.get("slow_call_rate").isNull()).isTrue();
        assertThat(stats.get("buffered_calls").asInt()).isZero();
        assertThat(stats.get("failed_calls").asInt()).isZero();
        assertThat(stats.get("slow_calls").asInt()).isZero();
        assertThat(stats.get("not_permitted_calls").asInt()).isZero();
        assertThat(java.time.Instant.parse(stats.get("since").asText())).isNotNull();
        assertThat(golemService.get("details").get("state").asText()).isEqualTo("CLOSED");
        JsonNode ipfsService = body.get("services").get(1);
        assertThat(ipfsService.get("circuit_breaker_stats").isNull()).as("no breaker, null stats").isTrue();
        assertThat(ipfsService.get("details").get("version").asText()).isEqualTo("0.29");
    }

    @Test
    void anOpenCriticalBreakerMakesReady503WithItsStats() throws Exception {
        openGolem();
        health.refreshNow();
        HttpResponse response = get("/health/ready");
        assertThat(response.status()).isEqualTo(503);
        JsonNode body = json(response);
        assertThat(body.get("status").asText()).isEqualTo("DOWN");
        JsonNode stats = body.get("services").get(0).get("circuit_breaker_stats");
        assertThat(stats.get("state").asText()).isEqualTo("OPEN");
        assertThat(stats.get("failure_rate").asDouble()).isEqualTo(100.0);
        assertThat(stats.get("failed_calls").asInt()).isEqualTo(2);
    }

    @Test
    void adminRoutesRequireTheBearerToken() throws Exception {
        HttpResponse none = post("/api/v1/admin/circuit-breakers/reset", null, "");
        HttpResponse wrongScheme = post("/api/v1/admin/circuit-breakers/reset", "Basic " + TOKEN, "");
        HttpResponse wrongToken = post("/api/v1/admin/circuit-breakers/reset", "Bearer not-the-token", "");
        // Found by AdminApiChaosIT: a trailing control character used to be trimmed away.
        HttpResponse trailingNul = post("/api/v1/admin/circuit-breakers/reset", "Bearer  " + TOKEN + "\u0000", "");
        HttpResponse trailingTab = post("/api/v1/admin/circuit-breakers/reset", "Bearer " + TOKEN + "\t", "");
        for (HttpResponse refused : List.of(none, wrongScheme, wrongToken, trailingNul, trailingTab)) {
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"beacon-admin\"");
            assertThat(body(refused)).isEqualTo("{\"error\":\"unauthorized\"}");
        }
        HttpResponse right = post("/api/v1/admin/circuit-breakers/reset", "Bearer " + TOKEN, "");
        assertThat(right.status()).isEqualTo(200);
        assertThat(json(right).get("circuit_breakers").get(0).get("name").asText()).isEqualTo("golem");
        HttpResponse lowerCaseScheme = post("/api/v1/admin/circuit-breakers/reset", "bearer " + TOKEN, "");
        assertThat(lowerCaseScheme.status()).isEqualTo(200);
        HttpResponse twoSpaces = post("/api/v1/admin/circuit-breakers/reset", "Bearer  " + TOKEN, "");
        assertThat(twoSpaces.status()).as("RFC 6750 allows 1*SP").isEqualTo(200);
    }

    @Test
    void withoutATokenTheAdminApiIsOff() {
        BeaconEndpoints open = BeaconEndpoints.builder().breakerAdmin(guards.admin()).build();
        assertThat(open.adminEnabled()).isFalse();
        HttpResponse response = open.handle(request("POST", "/api/v1/admin/circuit-breakers/reset", "Bearer anything", ""));
        assertThat(response.status()).isEqualTo(403);
        assertThat(body(response)).contains("admin API is disabled");
    }

    @Test
    void breakerOperationsOverHttpChangeTheBreakerAndAnswerItsSnapshot() throws Exception {
        openGolem();
        HttpResponse reset = post("/api/v1/admin/circuit-breakers/golem/reset", "Bearer " + TOKEN, "");
        assertThat(reset.status()).isEqualTo(200);
        assertThat(json(reset).get("state").asText()).isEqualTo("CLOSED");
        assertThat(golem.circuitBreaker().getState()).isEqualTo(State.CLOSED);

        HttpResponse forced = handle(request("POST", "/api/v1/admin/circuit-breakers/golem/force-open",
                "Bearer " + TOKEN, "", Map.of("duration", List.of("PT5M"))));
        assertThat(json(forced).get("state").asText()).isEqualTo("FORCED_OPEN");
        assertThat(json(forced).get("forced_open_until").asText()).isNotBlank();

        assertThat(json(post("/api/v1/admin/circuit-breakers/golem/disable", "Bearer " + TOKEN, "")).get("state").asText())
                .isEqualTo("DISABLED");
        assertThat(json(post("/api/v1/admin/circuit-breakers/golem/metrics-only", "Bearer " + TOKEN, "")).get("state").asText())
                .isEqualTo("METRICS_ONLY");
        assertThat(json(post("/api/v1/admin/circuit-breakers/golem/close", "Bearer " + TOKEN, "")).get("state").asText())
                .isEqualTo("CLOSED");
        HttpResponse list = handle(request("GET", "/api/v1/admin/circuit-breakers", "Bearer " + TOKEN, "", Map.of()));
        assertThat(json(list).get("circuit_breakers").get(0).get("state").asText()).isEqualTo("CLOSED");
    }

    @Test
    void badRequestsGetShortClearErrors() {
        HttpResponse missingDuration = post("/api/v1/admin/circuit-breakers/golem/force-open", "Bearer " + TOKEN, "");
        assertThat(missingDuration.status()).isEqualTo(400);
        assertThat(body(missingDuration)).contains("duration is required");

        HttpResponse badDuration = handle(request("POST", "/api/v1/admin/circuit-breakers/golem/force-open",
                "Bearer " + TOKEN, "", Map.of("duration", List.of("soon"))));
        assertThat(badDuration.status()).isEqualTo(400);
        assertThat(body(badDuration)).contains("duration: expected a duration").contains("'soon'");

        HttpResponse unknownBreaker = post("/api/v1/admin/circuit-breakers/nope/reset", "Bearer " + TOKEN, "");
        assertThat(unknownBreaker.status()).isEqualTo(404);
        assertThat(body(unknownBreaker)).isEqualTo("{\"error\":\"no guard named 'nope'\"}");

        HttpResponse malformed = post("/api/v1/admin/echo", "Bearer " + TOKEN, "{\"ids\": [1, 2");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(body(malformed)).startsWith("{\"error\":\"malformed JSON at line 1");

        // Found by AdminApiChaosIT: past the parser's nesting limit the error has no location (was a 500).
        HttpResponse tooDeep = post("/api/v1/admin/echo", "Bearer " + TOKEN, "[".repeat(1_001));
        assertThat(tooDeep.status()).isEqualTo(400);
        assertThat(body(tooDeep)).contains("malformed JSON").contains("nesting depth");

        HttpResponse tooLong = handle(request("POST", "/api/v1/admin/circuit-breakers/golem/force-open",
                "Bearer " + TOKEN, "", Map.of("duration", List.of("P99999999999D"))));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(body(tooLong)).contains("at most PT168H");

        HttpResponse tooLarge = post("/api/v1/admin/echo", "Bearer " + TOKEN, "x".repeat(1025));
        assertThat(tooLarge.status()).isEqualTo(413);

        HttpResponse unknownRoute = get("/api/v1/nothing-here");
        assertThat(unknownRoute.status()).isEqualTo(404);

        HttpResponse wrongMethod = handle(request("DELETE", "/health/ready", null, "", Map.of()));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.headers()).containsEntry("Allow", "GET");

        for (HttpResponse response : List.of(missingDuration, badDuration, unknownBreaker, malformed, tooDeep, tooLong, tooLarge,
                unknownRoute, wrongMethod)) {
            assertThat(body(response)).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(TOKEN);
        }
    }

    @Test
    void headAnswersAGetRouteWithItsStatusAndHeadersAndNoBody() throws Exception {
        health.refreshNow();
        HttpResponse get = get("/health/ready");
        HttpResponse head = handle(HttpRequest.of("HEAD", "/health/ready"));
        assertThat(head.status()).isEqualTo(get.status());
        assertThat(head.contentType()).isEqualTo(get.contentType());
        assertThat(head.body()).isEmpty();
        assertThat(head.headers()).containsEntry("Content-Length", Integer.toString(get.body().length))
                .containsKeys("Age", "Cache-Control");

        HttpResponse headOfPost = handle(request("HEAD", "/api/v1/admin/circuit-breakers/reset", "Bearer " + TOKEN, ""));
        assertThat(headOfPost.status()).as("no GET route there, so no HEAD").isEqualTo(405);
        assertThat(headOfPost.headers()).containsEntry("Allow", "POST");
        assertThat(prometheus.get("http.request.duration").tag("method", "HEAD").tag("route", "/health/ready").timer().count())
                .isEqualTo(1);
    }

    @Test
    void jsonTheParserRefusesWithoutALocationOrWithTrailingGarbageIs400() {
        // Jackson's nesting limit (1,000) throws without a location: that was an NPE, so a 500.
        HttpResponse deep = post("/api/v1/admin/echo", "Bearer " + TOKEN, "[".repeat(1010));
        assertThat(deep.status()).isEqualTo(400);
        assertThat(body(deep)).startsWith("{\"error\":\"malformed JSON").doesNotContain("Exception");

        // A whole document followed by more is not JSON either; the first document must not be acted on.
        HttpResponse trailing = post("/api/v1/admin/echo", "Bearer " + TOKEN, "{\"ids\":[]} {\"x\":1}");
        assertThat(trailing.status()).isEqualTo(400);
        assertThat(body(trailing)).startsWith("{\"error\":\"malformed JSON at line 1");
    }

    @Test
    void aHandlerThatBlowsUpIsA500WithoutAStackTrace() {
        BeaconEndpoints broken = BeaconEndpoints.builder()
                .route(Route.of("GET", "/boom", request -> {
                    throw new IllegalStateException("secret=hunter2 at com.example.Foo");
                }))
                .build();
        HttpResponse response = broken.handle(HttpRequest.of("GET", "/boom"));
        assertThat(response.status()).isEqualTo(500);
        assertThat(body(response)).isEqualTo("{\"error\":\"internal error\"}");
    }

    @Test
    void metricsServesPrometheusTextOrOpenMetricsAndTimesRequestsByRouteTemplate() {
        get("/health/live");
        post("/api/v1/admin/circuit-breakers/golem/reset", "Bearer " + TOKEN, "");
        get("/no/such/path");

        HttpResponse text = get("/metrics");
        assertThat(text.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(body(text))
                .contains("http_request_duration_seconds_bucket{method=\"GET\",route=\"/health/live\",status=\"200\",le=\"2.0\"} 1")
                .contains("route=\"/api/v1/admin/circuit-breakers/{name}/reset\",status=\"200\"")
                .contains("route=\"unmatched\",status=\"404\"")
                .contains("resilience4j_circuitbreaker_state{name=\"golem\",state=\"closed\"} 1.0")
                .doesNotContain("/no/such/path");

        HttpResponse openMetrics = handle(new HttpRequest("GET", "/metrics", Map.of(),
                Map.of("accept", List.of("application/openmetrics-text; version=1.0.0")), null, Map.of()));
        assertThat(openMetrics.contentType()).startsWith("application/openmetrics-text");
        assertThat(body(openMetrics)).endsWith("# EOF\n");
    }

    @Test
    void filtersRunBeforeTheHandlerCanAnswerInsteadAndAreTimedByRoute() {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        BeaconEndpoints filtered = BeaconEndpoints.builder()
                .metrics(prometheus)
                .breakerAdmin(guards.admin())
                .adminToken(TOKEN)
                .filter((route, request) -> {
                    seen.add(route.template());
                    return route.template().equals("/metrics") ? HttpResponse.error(503, "metrics switched off") : null;
                })
                .build();
        filtered.bindTo(prometheus);
        assertThat(filtered.handle(HttpRequest.of("GET", "/metrics")).status()).isEqualTo(503);
        HttpResponse admin = filtered.handle(request("GET", "/api/v1/admin/circuit-breakers", "Bearer " + TOKEN, ""));
        assertThat(admin.status()).isEqualTo(200);
        HttpResponse refused = filtered.handle(request("GET", "/api/v1/admin/circuit-breakers", null, ""));
        assertThat(refused.status()).as("the token is checked before any filter").isEqualTo(401);
        assertThat(seen).containsExactly("/metrics", "/api/v1/admin/circuit-breakers");
        assertThat(prometheus.get("http.request.duration").tag("route", "/metrics").tag("status", "503").timer().count())
                .isEqualTo(1);
    }

    @Test
    void theBuilderRejectsBadSettingsWithoutShowingTheToken() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BeaconEndpoints.builder().adminToken("has space"))
                .hasMessage("adminToken must be printable ASCII without whitespace (value not shown)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BeaconEndpoints.builder().maxBodyBytes(-1))
                .hasMessage("maxBodyBytes must be in [0, 16777216] but was -1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BeaconEndpoints.builder()
                        .route(Route.of("GET", "/x", r -> null)).route(Route.of("GET", "/x", r -> null)).build())
                .hasMessage("routes must be unique but GET /x is defined twice");
    }

    private void openGolem() {
        for (int i = 0; i < 2; i++) {
            try {
                golem.get(() -> {
                    throw new IllegalStateException("down");
                });
            } catch (IllegalStateException expected) {
                // recorded by the breaker
            }
        }
        assertThat(golem.circuitBreaker().getState()).isEqualTo(State.OPEN);
    }

    private HttpResponse get(String path) {
        return handle(HttpRequest.of("GET", path));
    }

    private HttpResponse post(String path, String authorization, String body) {
        return handle(request("POST", path, authorization, body, Map.of()));
    }

    private static HttpRequest request(String method, String path, String authorization, String body) {
        return request(method, path, authorization, body, Map.of());
    }

    private static HttpRequest request(String method, String path, String authorization, String body,
            Map<String, List<String>> query) {
        Map<String, List<String>> headers = authorization == null ? Map.of() : Map.of("authorization", List.of(authorization));
        return new HttpRequest(method, path, query, headers, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private HttpResponse handle(HttpRequest request) {
        return endpoints.handle(request);
    }

    private static JsonNode json(HttpResponse response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String body(HttpResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
