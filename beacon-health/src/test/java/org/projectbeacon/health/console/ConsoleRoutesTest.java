package org.projectbeacon.health.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.projectbeacon.health.HealthReport;
import org.projectbeacon.health.http.BeaconEndpoints;
import org.projectbeacon.health.http.HttpRequest;
import org.projectbeacon.health.http.HttpResponse;
import org.projectbeacon.resilience.GuardRegistry;
import org.projectbeacon.resilience.GuardSettings;
import org.projectbeacon.resilience.MutableClock;

/** The console's routes through {@link BeaconEndpoints#handle}: files, headers, history and breakers. */
class ConsoleRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final GuardRegistry guards = GuardRegistry.builder().clock(clock).settings(GuardSettings.fromMap(Map.of(
            "beacon.regions.golem", "lhr,fra"))).build();
    private final AtomicReference<HealthReport> report = new AtomicReference<>(HealthHistoryTest.report(7, "UP"));
    private final HealthHistory history = HealthHistory.builder(new HealthHistoryTest.FixedAggregator(report, clock))
            .clock(clock).build();
    private final BeaconEndpoints endpoints = BeaconEndpoints.builder()
            .routes(ConsoleRoutes.builder().history(history).guards(guards).runbookUrl("https://example.org/runbook.md").build())
            .build();

    ConsoleRoutesTest() {
        guards.regionFallback("golem");
        guards.guard("ipfs");
    }

    @AfterEach
    void tearDown() {
        history.close();
        guards.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console/", "/console/console.js", "/console/console.css", "/console/favicon.svg",
            "/console/config.json"})
    void everyConsoleFileIsServedWithTheSecurityHeaders(String path) {
        HttpResponse response = get(path);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers())
                .containsEntry("Content-Security-Policy", ConsoleRoutes.CONTENT_SECURITY_POLICY)
                .containsEntry("X-Frame-Options", "DENY")
                .containsEntry("X-Content-Type-Options", "nosniff")
                .containsEntry("Referrer-Policy", "no-referrer");
        assertThat(ConsoleRoutes.CONTENT_SECURITY_POLICY).contains("script-src 'self'").doesNotContain("unsafe");
    }

    @Test
    void theConsoleWithoutItsSlashRedirectsSoThatRelativeLinksResolve() {
        HttpResponse response = get("/console");

        assertThat(response.status()).isEqualTo(308);
        assertThat(response.headers()).containsEntry("Location", "/console/");
    }

    @Test
    void anUnknownFileIs404NamingIt() {
        HttpResponse response = get("/console/secrets.txt");

        assertThat(response.status()).isEqualTo(404);
        assertThat(body(response)).contains("secrets.txt");
    }

    @Test
    void thePageHasNoInlineScriptOrStyleAndTheScriptNeverWritesHtml() {
        String html = body(get("/console/"));
        String js = body(get("/console/console.js"));

        assertThat(html).doesNotContainPattern("<script(?![^>]*\\ssrc=)")
                .doesNotContainPattern("\\sstyle=")
                .doesNotContainPattern("\\son[a-z]+=")
                .doesNotContain("http://").doesNotContain("https://");
        assertThat(js).doesNotContain("innerHTML").doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML")
                .doesNotContain("document.write").doesNotContain("eval(").doesNotContain("localStorage")
                .doesNotContain("document.cookie").contains("sessionStorage");
    }

    @Test
    void theConfigNamesTheRunbook() throws Exception {
        JsonNode config = JSON.readTree(get("/console/config.json").body());

        assertThat(config.get("runbook_url").asText()).isEqualTo("https://example.org/runbook.md");
    }

    @Test
    void theHistoryServesTheSamplesAfterSince() throws Exception {
        history.sample();
        clock.advance(Duration.ofSeconds(5));
        report.set(HealthHistoryTest.report(9, "DEGRADED"));
        history.sample();

        JsonNode all = JSON.readTree(get("/health/history").body());
        assertThat(all.get("window_seconds").asLong()).isEqualTo(1800);
        assertThat(all.get("samples")).hasSize(2);
        assertThat(all.get("samples").get(1).get("services").get("outbox").get("unpublished_count").asLong()).isEqualTo(9);
        JsonNode later = JSON.readTree(get("/health/history", Map.of("since", List.of(T0.toString()))).body());
        assertThat(later.get("samples")).hasSize(1);
        HttpResponse bad = get("/health/history", Map.of("since", List.of("yesterday")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(body(bad)).contains("since").contains("'yesterday'");
    }

    @Test
    void theBreakersShowEveryGuardAndTheRegionInUse() throws Exception {
        guards.admin().forceOpen("golem-lhr", Duration.ofMinutes(5), "test");

        JsonNode json = JSON.readTree(get("/health/breakers").body());

        assertThat(json.get("circuit_breakers").findValuesAsText("name")).contains("golem-lhr", "golem-fra", "ipfs");
        JsonNode lhr = breaker(json, "golem-lhr");
        assertThat(lhr.get("state").asText()).isEqualTo("FORCED_OPEN");
        assertThat(lhr.get("region_fallback").get("in_use").asBoolean()).isFalse();
        assertThat(breaker(json, "golem-fra").get("region_fallback").get("in_use").asBoolean()).isTrue();
        assertThat(breaker(json, "ipfs").get("region_fallback").isNull()).isTrue();
        assertThat(breaker(json, "ipfs").get("failure_rate").isNull()).as("not enough calls").isTrue();
        assertThat(json.get("region_fallbacks").get(0).get("active_region").asText()).isEqualTo("fra");
    }

    @Test
    void theRunbookUrlIsValidatedNamingTheValue() {
        assertThatThrownBy(() -> ConsoleRoutes.builder().runbookUrl("javascript:alert(1)"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runbookUrl")
                .hasMessageContaining("javascript:alert(1)");
        assertThatThrownBy(() -> ConsoleRoutes.builder().runbookUrl("https://example.org/r.md#x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fragment");
    }

    private static JsonNode breaker(JsonNode json, String name) {
        for (JsonNode b : json.get("circuit_breakers")) {
            if (b.get("name").asText().equals(name)) {
                return b;
            }
        }
        throw new AssertionError("no breaker " + name + " in " + json);
    }

    private HttpResponse get(String path) {
        return get(path, Map.of());
    }

    private HttpResponse get(String path, Map<String, List<String>> query) {
        return endpoints.handle(new HttpRequest("GET", path, query, Map.of(), new byte[0], Map.of()));
    }

    private static String body(HttpResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
