package org.projectbeacon.health.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.health.http.BeaconEndpoints;
import org.projectbeacon.health.http.HttpRequest;
import org.projectbeacon.health.http.HttpResponse;
import org.projectbeacon.outbox.DeadLetterQueue;
import org.projectbeacon.outbox.InProcessSink;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxMessage;
import org.projectbeacon.outbox.OutboxMonitor;
import org.projectbeacon.outbox.OutboxPublisher;
import org.projectbeacon.outbox.PublisherConfig;
import org.projectbeacon.resilience.MutableClock;

/**
 * The unpublished side of the outbox admin routes ("Jobs Stuck in Queue" of the runbook): the list of
 * unpublished messages and republishing one by id, over H2 and the in-process sink with a publisher
 * that is stopped until the test starts it.
 */
class UnpublishedRoutesTest {

    private static final String TOKEN = "unpublished-admin-token-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private JdbcDataSource ds;
    private Outbox outbox;
    private InProcessSink sink;
    private OutboxPublisher publisher;
    private BeaconEndpoints endpoints;

    @BeforeEach
    void setUp() throws SQLException {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:unpublished_" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ";DB_CLOSE_DELAY=-1");
        OutboxConfig config = OutboxConfig.builder().tablePrefix("unpub_").clock(clock).build();
        outbox = Outbox.create(config);
        outbox.migrate(ds);
        sink = new InProcessSink();
        sink.subscribe("jobs", r -> { });
        publisher = OutboxPublisher.builder(ds, config, sink)
                .config(PublisherConfig.builder().pollInterval(Duration.ofMillis(50)).build())
                .build();
        OutboxMonitor monitor = OutboxMonitor.builder(ds, config).stuckAge(Duration.ofMinutes(5)).build();
        endpoints = BeaconEndpoints.builder().adminToken(TOKEN)
                .routes(OutboxRoutes.of(DeadLetterQueue.create(ds, config, sink), publisher, monitor)).build();
    }

    @AfterEach
    void tearDown() {
        publisher.close();
    }

    @Test
    void listsUnpublishedMessagesOldestFirstWithAgeAttemptsAndStuck() throws Exception {
        UUID old = enqueue("render-1");
        clock.advance(Duration.ofMinutes(6));
        UUID fresh = enqueue(null);

        JsonNode body = ok(get("/api/v1/admin/outbox/unpublished", Map.of("limit", "10")), 200);

        assertThat(body.get("limit").asInt()).isEqualTo(10);
        assertThat(body.get("stuck").asLong()).isEqualTo(1);
        assertThat(body.get("publisher_running").asBoolean()).isFalse();
        JsonNode items = body.get("items");
        assertThat(items).hasSize(2);
        JsonNode first = items.get(0);
        assertThat(first.get("id").asText()).isEqualTo(old.toString());
        assertThat(first.get("stream").asText()).isEqualTo("jobs");
        assertThat(first.get("key").asText()).isEqualTo("render-1");
        assertThat(first.get("created_at").asText()).isEqualTo(T0.toString());
        assertThat(first.get("age_seconds").asLong()).isEqualTo(360);
        assertThat(first.get("attempts").asInt()).isZero();
        assertThat(first.get("next_attempt_at").asText()).isEqualTo(T0.toString());
        assertThat(first.get("last_error").isNull()).isTrue();
        assertThat(first.get("leased").asBoolean()).isFalse();
        assertThat(first.get("stuck").asBoolean()).isTrue();
        assertThat(items.get(1).get("id").asText()).isEqualTo(fresh.toString());
        assertThat(items.get(1).get("key").isNull()).isTrue();
        assertThat(items.get(1).get("stuck").asBoolean()).isFalse();
        assertThat(ok(get("/api/v1/admin/outbox/unpublished", Map.of()), 200).get("limit").asInt())
                .isEqualTo(OutboxRoutes.DEFAULT_PAGE_SIZE);
    }

    @Test
    void republishMakesAnUnpublishedMessageDueAndThePublisherSendsIt() throws Exception {
        UUID id = enqueue(null);

        JsonNode body = ok(post("/api/v1/admin/outbox/" + id + "/republish"), 202);
        assertThat(body.get("id").asText()).isEqualTo(id.toString());
        assertThat(body.get("due").asBoolean()).isTrue();
        assertThat(body.get("publisher_running").asBoolean()).isFalse();

        publisher.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> !sink.entries("jobs").isEmpty());
        assertThat(sink.entries("jobs")).singleElement().satisfies(r -> assertThat(r.id()).isEqualTo(id));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> ok(get("/api/v1/admin/outbox/unpublished", Map.of()), 200).get("items").isEmpty());

        HttpResponse gone = post("/api/v1/admin/outbox/" + id + "/republish");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(JSON.readTree(gone.body()).get("error").asText())
                .isEqualTo("no dead letter or unpublished message has id " + id);
    }

    @Test
    void badLimitIs400NamingItAndTheTokenIsRequired() throws Exception {
        HttpResponse tooMany = get("/api/v1/admin/outbox/unpublished", Map.of("limit", "1001"));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(JSON.readTree(tooMany.body()).get("error").asText()).isEqualTo("limit must be in [1, 1000] but was 1001");
        HttpResponse unknown = get("/api/v1/admin/outbox/unpublished", Map.of("size", "1"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).startsWith("unknown query parameter 'size'");

        HttpResponse anonymous = endpoints.handle(new HttpRequest("GET", "/api/v1/admin/outbox/unpublished", Map.of(),
                Map.of(), new byte[0], Map.of()));
        assertThat(anonymous.status()).isEqualTo(401);
    }

    private UUID enqueue(String key) throws SQLException {
        OutboxMessage message = OutboxMessage.builder("jobs").key(key).payload("{\"n\":1}").build();
        try (Connection c = ds.getConnection()) {
            outbox.enqueue(c, message);
        }
        return message.id();
    }

    private HttpResponse get(String path, Map<String, String> query) {
        Map<String, List<String>> q = new java.util.HashMap<>();
        query.forEach((k, v) -> q.put(k, List.of(v)));
        return endpoints.handle(new HttpRequest("GET", path, q, Map.of("authorization", List.of("Bearer " + TOKEN)),
                new byte[0], Map.of()));
    }

    private HttpResponse post(String path) {
        return endpoints.handle(new HttpRequest("POST", path, Map.of(),
                Map.of("authorization", List.of("Bearer " + TOKEN)), new byte[0], Map.of()));
    }

    private static JsonNode ok(HttpResponse response, int status) throws Exception {
        String text = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.status()).as(text).isEqualTo(status);
        return JSON.readTree(text);
    }
}
