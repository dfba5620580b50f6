package org.projectbeacon.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.projectbeacon.resilience.GuardRegistry;
import org.projectbeacon.resilience.TestServices;
import org.projectbeacon.spring.boot.autoconfigure.StarterTestApplication.GolemClient;
import org.projectbeacon.spring.boot.autoconfigure.StarterTestApplication.JobService;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The starter in a real Spring Boot 4 application on PostgreSQL and Redis: one breaker for the
 * annotation and the guard, Actuator and /health/ready agree, admin paths need the token, the outbox
 * follows the caller's transaction, and a shutdown loses no job. The application's own Flyway V1
 * runs beside the outbox's V1 (history tables of their own).
 */
class BeaconStarterIT {

    private static final String TOKEN = "s3cret-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String prefix;
    private static ConfigurableApplicationContext context;
    private static RedisClient redis;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void start() {
        TestServices.requirePostgres();
        TestServices.requireRedis();
        prefix = TestServices.prefix("boot");
        context = run(prefix);
        redis = RedisClient.create(TestServices.redisUri());
        connection = redis.connect();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
        if (connection != null) {
            connection.sync().del(prefix + StarterTestApplication.STREAM);
            connection.close();
            redis.shutdown();
        }
    }

    static ConfigurableApplicationContext run(String prefix) {
        return new SpringApplicationBuilder(StarterTestApplication.class).properties(
                "server.port=0",
                "spring.datasource.url=" + TestServices.postgresUrl(),
                "spring.flyway.locations=classpath:db/app",
                "spring.flyway.table=" + prefix + "app_history",
                "spring.flyway.placeholders.prefix=" + prefix,
                "spring.flyway.baseline-on-migrate=true",
                "spring.flyway.baseline-version=0",
                "beacon.outbox.table-prefix=" + prefix,
                "beacon.sink.redis-uri=" + TestServices.redisUri(),
                "beacon.sink.key-prefix=" + prefix,
                "beacon.admin.token=" + TOKEN,
                "beacon.guards.golem.sliding-window-size=2",
                "beacon.guards.golem.minimum-number-of-calls=2",
                "beacon.guards.golem.retry-max-attempts=1",
                "beacon.guards.golem.wait-duration-in-open-state=1h",
                "beacon.health.interval=200ms",
                "beacon.publisher.poll-interval=100ms",
                "management.endpoints.web.exposure.include=health,beaconbreakers,beacondlq",
                "management.endpoint.health.show-details=always",
                "management.endpoint.health.show-components=always").run();
    }

    @Test
    void theAnnotatedCallAndTheGuardShareOneBreaker() throws Exception {
        GuardRegistry guards = context.getBean(GuardRegistry.class);
        CircuitBreaker breaker = context.getBean(CircuitBreakerRegistry.class).circuitBreaker("golem");
        assertThat(guards.guard("golem").circuitBreaker()).isSameAs(breaker);

        GolemClient golem = context.getBean(GolemClient.class);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(golem::negotiate).isInstanceOf(IllegalStateException.class);
        }
        assertThat(guards.guard("golem").circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        awaitHealthAgreement("DOWN", 503);

        HttpResponse<String> reset = post("/api/v1/admin/circuit-breakers/reset", TOKEN);
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        awaitHealthAgreement("UP", 200);
    }

    @Test
    void theUnpublishedListAndRepublishByIdRoutesExistLikeThePlainRunners() throws Exception {
        assertThat(get("/api/v1/admin/outbox/unpublished", null).statusCode()).isEqualTo(401);
        HttpResponse<String> unpublished = get("/api/v1/admin/outbox/unpublished", TOKEN);
        assertThat(unpublished.statusCode()).as(unpublished.body()).isEqualTo(200);
        assertThat(JSON.readTree(unpublished.body()).isObject()).isTrue();
        HttpResponse<String> republish = post("/api/v1/admin/outbox/" + java.util.UUID.randomUUID() + "/republish", TOKEN);
        assertThat(republish.statusCode()).as(republish.body()).isEqualTo(404);
    }

    @Test
    void adminPathsAndEndpointsRejectRequestsWithoutTheToken() throws Exception {
        assertThat(post("/api/v1/admin/circuit-breakers/reset", null).statusCode()).isEqualTo(401);
        assertThat(post("/api/v1/admin/circuit-breakers/reset", "wrong").statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/admin/dlq/patterns", null).statusCode()).isEqualTo(401);
        assertThat(post("/actuator/beaconbreakers", null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/beacondlq", null).statusCode()).isEqualTo(401);

        HttpResponse<String> breakers = get("/actuator/beaconbreakers", TOKEN);
        assertThat(breakers.statusCode()).as(get("/actuator", TOKEN).body()).isEqualTo(200);
        assertThat(JSON.readTree(breakers.body()).path("circuit_breakers").findValuesAsText("name")).contains("golem");
        HttpResponse<String> dlq = get("/actuator/beacondlq", TOKEN);
        assertThat(dlq.statusCode()).as(dlq.body() + " " + get("/actuator", TOKEN).body()).isEqualTo(200);
    }

    @Test
    void theOperatorConsoleIsServedWithItsHistoryBreakersAndAuditedActions() throws Exception {
        HttpResponse<String> page = get("/console/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("console.js");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(
                org.projectbeacon.health.console.ConsoleRoutes.CONTENT_SECURITY_POLICY);
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(get("/console/console.js", null).statusCode()).isEqualTo(200);

        JsonNode breakers = JSON.readTree(get("/health/breakers", null).body());
        assertThat(breakers.findValuesAsText("name")).contains("golem");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(JSON.readTree(get("/health/history", null).body()).path("samples").size()).isPositive());

        HttpResponse<String> reset = send(HttpRequest.newBuilder(uri("/api/v1/admin/circuit-breakers/golem/reset"))
                .header("X-Beacon-Actor", "oncall").POST(HttpRequest.BodyPublishers.noBody()), TOKEN);
        assertThat(reset.statusCode()).isEqualTo(200);
        JsonNode audit = JSON.readTree(get("/api/v1/admin/audit", TOKEN).body());
        assertThat(audit.toString()).contains("oncall").contains("127.0.0.1").doesNotContain(TOKEN);
    }

    @Test
    void aRolledBackTransactionPublishesNothingAndACommittedOneIsPublished() {
        JobService jobs = context.getBean(JobService.class);
        assertThatThrownBy(() -> jobs.submit("render", true)).hasMessage("rolled back on purpose");
        UUID committed = jobs.submit("render", false);

        await().atMost(Duration.ofSeconds(20)).until(() -> published(prefix).contains(committed.toString()));
        List<String> jobIds = context.getBean(JdbcTemplate.class).queryForList("SELECT id FROM " + prefix + "jobs", String.class);
        // Every published message belongs to a committed job: the rolled-back one left nothing.
        assertThat(new HashSet<>(published(prefix))).isEqualTo(new HashSet<>(jobIds));
    }

    @Test
    void aGracefulShutdownLosesNoJob() {
        String own = TestServices.prefix("bootstop");
        List<String> ids = new ArrayList<>();
        try (ConfigurableApplicationContext first = run(own)) {
            JobService jobs = first.getBean(JobService.class);
            for (int i = 0; i < 200; i++) {
                ids.add(jobs.submit("render", false).toString());
            }
        } // closed at once: the publisher stops in Boot's shutdown phase with messages still to send
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        Set<String> accounted = new HashSet<>(published(own));
        accounted.addAll(jdbc.queryForList("SELECT CAST(id AS VARCHAR) FROM " + own + "outbox", String.class));
        assertThat(accounted).containsAll(ids);

        try (ConfigurableApplicationContext second = run(own)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> published(own).containsAll(ids));
        } finally {
            connection.sync().del(own + StarterTestApplication.STREAM);
        }
    }

    @Test
    void theHealthStatusMapsDegradedBetweenUpAndDown() {
        org.springframework.boot.health.actuate.endpoint.StatusAggregator aggregator =
                context.getBean(org.springframework.boot.health.actuate.endpoint.StatusAggregator.class);
        assertThat(aggregator.getAggregateStatus(org.springframework.boot.health.contributor.Status.UP,
                BeaconActuatorAutoConfiguration.DEGRADED)).isEqualTo(BeaconActuatorAutoConfiguration.DEGRADED);
        assertThat(aggregator.getAggregateStatus(org.springframework.boot.health.contributor.Status.DOWN,
                BeaconActuatorAutoConfiguration.DEGRADED)).isEqualTo(org.springframework.boot.health.contributor.Status.DOWN);
    }

    private static void awaitHealthAgreement(String status, int code) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> ready = get("/health/ready", null);
            HttpResponse<String> actuator = get("/actuator/health", null);
            JsonNode beacon = JSON.readTree(actuator.body()).path("components").path("beacon");
            assertThat(JSON.readTree(ready.body()).path("status").asText()).isEqualTo(status);
            assertThat(beacon.path("status").asText()).isEqualTo(status);
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(code);
            assertThat(actuator.statusCode()).as(actuator.body()).isEqualTo(code);
            assertThat(JSON.readTree(ready.body()).path("services").findValues("circuit_breaker_stats")).isNotEmpty();
        });
    }

    private static List<String> published(String prefix) {
        return connection.sync().xrange(prefix + StarterTestApplication.STREAM, Range.create("-", "+")).stream()
                .map(message -> message.getBody().get("id"))
                .toList();
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET(), token);
    }

    private static HttpResponse<String> post(String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()), token);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + path);
    }
}
