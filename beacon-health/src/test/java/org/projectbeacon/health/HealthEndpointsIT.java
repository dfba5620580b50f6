package org.projectbeacon.health;

import org.projectbeacon.resilience.TestServices;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.projectbeacon.health.checks.BreakerHealthCheck;
import org.projectbeacon.health.checks.JdbcHealthCheck;
import org.projectbeacon.health.checks.RedisHealthCheck;
import org.projectbeacon.health.http.BeaconEndpoints;
import org.projectbeacon.health.http.BeaconHttpServer;
import org.projectbeacon.resilience.Guard;
import org.projectbeacon.resilience.GuardConfig;
import org.projectbeacon.resilience.GuardRegistry;

/** Real HTTP against the JDK host, with checks against the real PostgreSQL and Redis. */
class HealthEndpointsIT {

    private static final String TOKEN = "it-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final GuardRegistry guards = GuardRegistry.ofDefaults();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private RedisClient redis;
    private RedisClient deadRedis;
    private HealthAggregator health;
    private BeaconHttpServer server;

    @BeforeEach
    void requireServices() {
        TestServices.requirePostgres();
        TestServices.requireRedis();
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (health != null) {
            health.close();
        }
        for (RedisClient client : new RedisClient[] {redis, deadRedis}) {
            if (client != null) {
                client.shutdown();
            }
        }
        guards.close();
    }

    @Test
    void realDependenciesUpMakeTheServiceUp() throws Exception {
        start(false, true);
        JsonNode body = ready(200);
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(service(body, "database").get("status").asText()).isEqualTo("UP");
        assertThat(service(body, "database").get("details").get("database").asText()).isEqualTo("PostgreSQL");
        assertThat(service(body, "redis").get("status").asText()).isEqualTo("UP");
        assertThat(service(body, "redis").get("circuit_breaker_stats").isNull()).isTrue();
    }

    @Test
    void aCriticalRedisOnAClosedPortIsDownAndTheServiceAnswers503() throws Exception {
        start(true, true);
        JsonNode body = ready(503);
        assertThat(body.get("status").asText()).isEqualTo("DOWN");
        JsonNode dead = service(body, "redis-replica");
        assertThat(dead.get("status").asText()).isEqualTo("DOWN");
        assertThat(dead.get("error").asText()).contains("RedisConnectionException");
        assertThat(service(body, "redis").get("status").asText()).isEqualTo("UP");
    }

    @Test
    void aNonCriticalRedisOnAClosedPortOnlyDegradesTheService() throws Exception {
        start(true, false);
        JsonNode body = ready(200);
        assertThat(body.get("status").asText()).isEqualTo("DEGRADED");
        assertThat(service(body, "redis-replica").get("status").asText()).isEqualTo("DOWN");
    }

    @Test
    void anAdminResetOverHttpClosesAnOpenBreakerAndTheChangeShowsInReadyAndMetrics() throws Exception {
        Guard golem = guards.guard("golem", GuardConfig.builder()
                .slidingWindowSize(2).minimumNumberOfCalls(2).retryMaxAttempts(1).withoutTimeout().build());
        start(false, true);
        for (int i = 0; i < 2; i++) {
            try {
                golem.get(() -> {
                    throw new IllegalStateException("no offers");
                });
            } catch (IllegalStateException expected) {
                // recorded
            }
        }
        assertThat(golem.circuitBreaker().getState()).isEqualTo(State.OPEN);
        health.refreshNow();
        assertThat(service(ready(503), "golem").get("circuit_breaker_stats").get("state").asText()).isEqualTo("OPEN");
        assertThat(metrics()).contains("resilience4j_circuitbreaker_state{name=\"golem\",state=\"open\"} 1.0");

        HttpResponse<String> unauthorised = post("/api/v1/admin/circuit-breakers/reset", null);
        assertThat(unauthorised.statusCode()).isEqualTo(401);
        assertThat(unauthorised.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"beacon-admin\"");

        HttpResponse<String> reset = post("/api/v1/admin/circuit-breakers/reset", "Bearer " + TOKEN);
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(golem.circuitBreaker().getState()).isEqualTo(State.CLOSED);

        health.refreshNow();
        JsonNode body = ready(200);
        assertThat(service(body, "golem").get("circuit_breaker_stats").get("state").asText()).isEqualTo("CLOSED");
        assertThat(metrics())
                .contains("resilience4j_circuitbreaker_state{name=\"golem\",state=\"closed\"} 1.0")
                .contains("beacon_breaker_admin_operations_total{operation=\"reset\"} 1.0")
                .contains("http_request_duration_seconds_count{method=\"POST\",route=\"/api/v1/admin/circuit-breakers/reset\",status=\"401\"} 1");
    }

    private void start(boolean withDeadRedis, boolean deadRedisCritical) throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(TestServices.postgresUrl());
        redis = RedisClient.create(TestServices.redisUri());
        CheckOptions fast = CheckOptions.builder().failuresToDown(1).successesToUp(1).timeout(Duration.ofSeconds(5)).build();
        HealthAggregator.Builder builder = HealthAggregator.builder()
                .check("database", JdbcHealthCheck.of(dataSource), fast)
                .check("redis", RedisHealthCheck.of(redis), fast);
        if (withDeadRedis) {
            RedisURI uri = RedisURI.create("127.0.0.1", TestServices.closedPort());
            uri.setTimeout(Duration.ofSeconds(2));
            deadRedis = RedisClient.create(uri);
            builder.check("redis-replica", RedisHealthCheck.of(deadRedis),
                    CheckOptions.builder().failuresToDown(1).timeout(Duration.ofSeconds(5)).critical(deadRedisCritical).build());
        }
        for (Guard guard : guards.guards()) {
            builder.check(guard.name(), BreakerHealthCheck.of(guard, guards.admin()), fast);
        }
        health = builder.build();
        health.refreshNow();
        BeaconEndpoints endpoints = BeaconEndpoints.builder()
                .health(health)
                .metrics(prometheus)
                .breakerAdmin(guards.admin())
                .adminToken(TOKEN)
                .build();
        endpoints.bindTo(prometheus);
        guards.metrics().bindTo(prometheus);
        server = BeaconHttpServer.builder(endpoints).port(0).build().start();
    }

    private JsonNode ready(int expectedStatus) throws Exception {
        HttpResponse<String> response = http.send(request("/health/ready").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        return JSON.readTree(response.body());
    }

    private String metrics() throws Exception {
        return http.send(request("/metrics").GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpResponse<String> post(String path, String authorization) throws Exception {
        HttpRequest.Builder request = request(path).POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    }

    private static JsonNode service(JsonNode body, String name) {
        for (JsonNode service : body.get("services")) {
            if (service.get("name").asText().equals(name)) {
                return service;
            }
        }
        throw new AssertionError("no service " + name + " in " + body);
    }
}
