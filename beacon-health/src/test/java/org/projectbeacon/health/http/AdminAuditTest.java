package org.projectbeacon.health.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.resilience.GuardRegistry;
import org.projectbeacon.resilience.MutableClock;

/** The admin audit trail of {@link BeaconEndpoints}: what is recorded, for whom, and what never is. */
class AdminAuditTest {

    private static final String TOKEN = "audit-admin-token-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final GuardRegistry guards = GuardRegistry.builder().clock(clock).build();
    private final BeaconEndpoints endpoints = BeaconEndpoints.builder()
            .breakerAdmin(guards.admin())
            .adminToken(TOKEN)
            .clock(clock)
            .auditCapacity(3)
            .build();

    AdminAuditTest() {
        guards.guard("golem");
    }

    @AfterEach
    void tearDown() {
        guards.close();
    }

    @Test
    void anAllowedActionIsAuditedWithItsActorTargetAndStatusAndTheLineComesBack() {
        HttpResponse response = endpoints.handle(request("POST", "/api/v1/admin/circuit-breakers/golem/force-open",
                Map.of("duration", List.of("PT5M")), TOKEN, "alice"));

        assertThat(response.status()).isEqualTo(200);
        AuditEntry entry = endpoints.audit(10).get(0);
        assertThat(entry).isEqualTo(new AuditEntry(T0, "POST circuit-breakers/{name}/force-open",
                "name=golem duration=PT5M", "alice", "10.0.0.7", 200));
        assertThat(response.headers()).containsEntry(BeaconEndpoints.AUDIT_HEADER, entry.line());
        assertThat(entry.line()).isEqualTo("action=\"POST circuit-breakers/{name}/force-open\" target=\"name=golem duration=PT5M\""
                + " actor=alice remote=10.0.0.7 status=200 at=2026-01-01T00:00:00Z");
    }

    @Test
    void aRejectedCallIsAuditedAsAnonymousAndNeverShowsTheTokenPresented() {
        HttpResponse response = endpoints.handle(request("POST", "/api/v1/admin/circuit-breakers/golem/reset",
                Map.of(), "wrong-token-value", "mallory"));

        assertThat(response.status()).isEqualTo(401);
        AuditEntry entry = endpoints.audit(10).get(0);
        assertThat(entry.actor()).isEqualTo("anonymous");
        assertThat(entry.rejected()).isTrue();
        assertThat(entry.status()).isEqualTo(401);
        assertThat(entry.line()).doesNotContain("wrong-token-value").doesNotContain(TOKEN);
    }

    @Test
    void successfulReadsAreNotAuditedButRejectedReadsAre() {
        endpoints.handle(request("GET", "/api/v1/admin/circuit-breakers", Map.of(), TOKEN, null));
        assertThat(endpoints.audit(10)).isEmpty();

        endpoints.handle(request("GET", "/api/v1/admin/circuit-breakers", Map.of(), null, null));
        assertThat(endpoints.audit(10)).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("GET circuit-breakers");
            assertThat(e.status()).isEqualTo(401);
        });
    }

    @Test
    void anActionWithoutAnActorHeaderIsTheTokensAndABadRequestIsAuditedWithItsStatus() {
        endpoints.handle(request("POST", "/api/v1/admin/circuit-breakers/golem/force-open", Map.of(), TOKEN, "not a name!"));

        AuditEntry entry = endpoints.audit(1).get(0);
        assertThat(entry.actor()).isEqualTo("admin-api");
        assertThat(entry.status()).isEqualTo(400);
    }

    @Test
    void theTrailKeepsTheLatestEntriesNewestFirstAndIsReadableWithTheToken() throws Exception {
        for (int i = 0; i < 5; i++) {
            clock.advance(java.time.Duration.ofSeconds(1));
            endpoints.handle(request("POST", "/api/v1/admin/circuit-breakers/golem/reset", Map.of(), TOKEN, "op" + i));
        }

        assertThat(endpoints.audit(10)).extracting(AuditEntry::actor).containsExactly("op4", "op3", "op2");
        HttpResponse response = endpoints.handle(request("GET", BeaconEndpoints.AUDIT_PATH,
                Map.of("limit", List.of("2")), TOKEN, null));
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.get("entries")).hasSize(2);
        assertThat(json.get("entries").get(0).get("actor").asText()).isEqualTo("op4");
        assertThat(json.get("entries").get(0).get("remote_address").asText()).isEqualTo("10.0.0.7");

        HttpResponse bad = endpoints.handle(request("GET", BeaconEndpoints.AUDIT_PATH, Map.of("limit", List.of("0")), TOKEN, null));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(new String(bad.body(), StandardCharsets.UTF_8)).contains("limit").contains("'0'");
        HttpResponse anonymous = endpoints.handle(request("GET", BeaconEndpoints.AUDIT_PATH, Map.of(), null, null));
        assertThat(anonymous.status()).isEqualTo(401);
    }

    @Test
    void theTargetHoldsTheStartOfTheBodyPrintableAndBounded() {
        BeaconEndpoints echo = BeaconEndpoints.builder().adminToken(TOKEN).clock(clock)
                .route(Route.admin("POST", "/api/v1/admin/dlq/requeue", request -> BeaconEndpoints.json(200, Map.of())))
                .build();
        String filter = "{\"filter\":\n {\"stream\":\"jobs\u0007\"}}";
        echo.handle(new HttpRequest("POST", "/api/v1/admin/dlq/requeue", Map.of(),
                Map.of("authorization", List.of("Bearer " + TOKEN)), filter.getBytes(StandardCharsets.UTF_8), Map.of()));
        echo.handle(new HttpRequest("POST", "/api/v1/admin/dlq/requeue", Map.of(),
                Map.of("authorization", List.of("Bearer " + TOKEN)), "x".repeat(10_000).getBytes(StandardCharsets.UTF_8), Map.of()));

        List<AuditEntry> entries = echo.audit(2);
        assertThat(entries.get(1).target()).isEqualTo("body={'filter': {'stream':'jobs?'}}");
        assertThat(entries.get(1).remoteAddress()).isEqualTo("unknown");
        assertThat(entries.get(0).target()).hasSize("body=".length() + 160 + 3).endsWith("...");
    }

    @Test
    void aTokenPutAnywhereButTheHeaderNeverReachesTheTrail() {
        // Refused: the query and body of a call without the right header are left out altogether.
        endpoints.handle(request("POST", "/api/v1/admin/circuit-breakers/golem/reset", Map.of("token", List.of(TOKEN)),
                null, null));
        // Accepted, with the token repeated in the query: masked.
        endpoints.handle(request("POST", "/api/v1/admin/circuit-breakers/golem/force-open",
                Map.of("duration", List.of("PT1M"), "auth", List.of(TOKEN)), TOKEN, null));
        // A path segment that is the token: masked, accepted or not.
        endpoints.handle(request("POST", "/api/v1/admin/circuit-breakers/" + TOKEN + "/reset", Map.of(), null, null));

        List<AuditEntry> entries = endpoints.audit(3);
        assertThat(entries).extracting(AuditEntry::line).noneMatch(line -> line.contains(TOKEN));
        assertThat(entries.get(2).target()).isEqualTo("name=golem");
        assertThat(entries.get(1).target()).isEqualTo("name=golem auth=*** duration=PT1M");
        assertThat(entries.get(0).target()).isEqualTo("name=***");
    }

    @Test
    void theCapacityIsValidatedNamingTheValue() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BeaconEndpoints.builder().auditCapacity(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auditCapacity").hasMessageContaining("0");
    }

    private static HttpRequest request(String method, String path, Map<String, List<String>> query, String token,
            String actor) {
        Map<String, List<String>> headers = new java.util.HashMap<>();
        if (token != null) {
            headers.put("authorization", List.of("Bearer " + token));
        }
        if (actor != null) {
            headers.put("x-beacon-actor", List.of(actor));
        }
        return new HttpRequest(method, path, query, headers, new byte[0], Map.of(), "10.0.0.7");
    }
}
