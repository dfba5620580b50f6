package org.projectbeacon.health.outbox;

import org.projectbeacon.resilience.TestServices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.projectbeacon.health.CheckOptions;
import org.projectbeacon.health.HealthAggregator;
import org.projectbeacon.health.http.BeaconEndpoints;
import org.projectbeacon.health.http.BeaconHttpServer;
import org.projectbeacon.outbox.DeadLetterFilter;
import org.projectbeacon.outbox.DeadLetterQueue;
import org.projectbeacon.outbox.NonRetryableException;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxMessage;
import org.projectbeacon.outbox.OutboxMonitor;
import org.projectbeacon.outbox.OutboxPublisher;
import org.projectbeacon.outbox.PublisherConfig;
import org.projectbeacon.outbox.redis.RedisSinkConfig;
import org.projectbeacon.outbox.redis.RedisStreamSink;
import org.projectbeacon.outbox.spi.OutboxDialect;

/**
 * The outbox admin API over real HTTP, with the outbox in the real PostgreSQL publishing to the real
 * Redis. Tables and keys carry a prefix of this class's own.
 */
class OutboxEndpointsIT {

    private static final String TOKEN = "outbox-it-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private PGSimpleDataSource ds;
    private OutboxConfig config;
    private Outbox outbox;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;
    private String keyPrefix;
    private RedisStreamSink sink;
    private OutboxPublisher publisher;
    private OutboxMonitor monitor;
    private HealthAggregator health;
    private BeaconHttpServer server;

    @BeforeEach
    void setUp() throws Exception {
        TestServices.requirePostgres();
        TestServices.requireRedis();
        String prefix = TestServices.prefix("outbox_ep");
        keyPrefix = "beacon-test:" + prefix + ":";
        ds = new PGSimpleDataSource();
        ds.setURL(TestServices.postgresUrl());
        config = OutboxConfig.builder().dialect(OutboxDialect.postgresql()).tablePrefix(prefix).build();
        outbox = Outbox.create(config);
        outbox.migrate(ds);
        client = RedisClient.create(TestServices.redisUri());
        connection = client.connect();
        redis = connection.sync();
        sink = RedisStreamSink.create(client, RedisSinkConfig.builder().keyPrefix(keyPrefix).build());
        publisher = OutboxPublisher.builder(ds, config, sink)
                .config(PublisherConfig.builder().pollInterval(Duration.ofMillis(200)).build())
                .build();
        monitor = OutboxMonitor.builder(ds, config).build();
        health = HealthAggregator.builder()
                .check("outbox", OutboxBacklogCheck.of(monitor), CheckOptions.builder().critical(false).build())
                .build();
        DeadLetterQueue dlq = DeadLetterQueue.create(ds, config, sink);
        BeaconEndpoints endpoints = BeaconEndpoints.builder()
                .health(health)
                .adminToken(TOKEN)
                .routes(OutboxRoutes.of(dlq, publisher))
                .build();
        server = BeaconHttpServer.builder(endpoints).port(0).build().start();
    }

    @AfterEach
    void tearDown() {
        for (AutoCloseable closeable : new AutoCloseable[] {server, health, publisher, monitor, sink}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // best effort: the next resource must still be released
                }
            }
        }
        if (redis != null) {
            List<String> keys = redis.keys(keyPrefix + "*");
            if (!keys.isEmpty()) {
                redis.del(keys.toArray(String[]::new));
            }
            connection.close();
        }
        if (client != null) {
            client.shutdown();
        }
        if (config != null) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + config.outboxTable());
                st.execute("DROP TABLE IF EXISTS " + config.deadLetterTable());
                st.execute("DROP FUNCTION IF EXISTS " + config.tablePrefix() + "outbox_notify() CASCADE");
            } catch (SQLException e) {
                // a leftover table with a random prefix harms nobody
            }
        }
    }

    @Test
    void aPoisonMessageIsListedGroupedAndRequeuedOverHttpAfterTheCauseIsFixed() throws Exception {
        redis.set(keyPrefix + "poison", "not a stream"); // XADD to it fails with WRONGTYPE
        UUID poison = enqueue("poison", "{\"job\":\"poison\"}");
        for (int i = 0; i < 3; i++) {
            enqueue("healthy", "{\"job\":" + i + "}");
        }
        publisher.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.xlen(keyPrefix + "healthy") == 3
                && DeadLetterQueue.create(ds, config, sink).count(DeadLetterFilter.all()) == 1);

        HttpResponse<String> unauthorised = send("GET", "/api/v1/admin/dlq", null, null);
        assertThat(unauthorised.statusCode()).isEqualTo(401);

        JsonNode list = ok(send("GET", "/api/v1/admin/dlq?stream=poison&size=10", TOKEN, null));
        assertThat(list.get("total").asLong()).isEqualTo(1);
        assertThat(list.get("size").asInt()).isEqualTo(10);
        JsonNode item = list.get("items").get(0);
        assertThat(item.get("id").asText()).isEqualTo(poison.toString());
        assertThat(item.get("stream").asText()).isEqualTo("poison");
        assertThat(item.get("error_class").asText()).isEqualTo(NonRetryableException.class.getName());
        assertThat(item.get("error_message").asText()).startsWith("WRONGTYPE");
        assertThat(item.get("payload").asText()).isEqualTo("{\"job\":\"poison\"}");
        assertThat(item.get("payload_size").asInt()).isEqualTo(16);

        JsonNode patterns = ok(send("GET", "/api/v1/admin/dlq/patterns", TOKEN, null)).get("patterns");
        assertThat(patterns).singleElement().satisfies(p -> {
            assertThat(p.get("error_class").asText()).isEqualTo(NonRetryableException.class.getName());
            assertThat(p.get("pattern").asText()).startsWith("WRONGTYPE");
            assertThat(p.get("count").asLong()).isEqualTo(1);
        });

        monitor.refresh();
        health.refreshNow();
        JsonNode outboxHealth = JSON.readTree(send("GET", "/health/ready", null, null).body()).get("services").get(0);
        assertThat(outboxHealth.get("status").asText()).isEqualTo("UP");
        assertThat(outboxHealth.get("details").get("dead_letter_count").asLong()).isEqualTo(1);
        assertThat(outboxHealth.get("details").get("unpublished_count").asLong()).isZero();

        HttpResponse<String> badRequeue = send("POST", "/api/v1/admin/dlq/requeue", TOKEN, "{\"ids\":[\"x\"]}");
        assertThat(badRequeue.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badRequeue.body()).get("error").asText()).isEqualTo("ids[0] must be a UUID but was 'x'");

        redis.del(keyPrefix + "poison"); // the operator fixes the cause
        JsonNode requeued = ok(send("POST", "/api/v1/admin/dlq/requeue", TOKEN, "{\"filter\":{\"stream\":\"poison\"}}"));
        assertThat(requeued.get("requeued").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> "stream".equals(redis.type(keyPrefix + "poison"))
                && redis.xlen(keyPrefix + "poison") == 1);
        assertThat(ok(send("GET", "/api/v1/admin/dlq", TOKEN, null)).get("total").asLong()).isZero();
    }

    @Test
    void publisherStatusRestartAndRepublishOverHttp() throws Exception {
        redis.set(keyPrefix + "critical", "not a stream");
        UUID critical = enqueue("critical", "{\"job\":\"critical\"}");
        publisher.start();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> DeadLetterQueue.create(ds, config, sink).count(DeadLetterFilter.all()) == 1);

        JsonNode status = ok(send("GET", "/api/v1/admin/outbox/publisher", TOKEN, null));
        assertThat(status.get("running").asBoolean()).isTrue();
        assertThat(status.get("backlog").asLong()).isZero();
        assertThat(status.get("breaker_state").asText()).isEqualTo("CLOSED");
        assertThat(status.has("last_successful_publish")).isTrue();
        assertThat(status.has("last_error")).isTrue();

        JsonNode restarted = ok(send("POST", "/api/v1/admin/outbox/publisher/restart", TOKEN, null));
        assertThat(restarted.get("running").asBoolean()).isTrue();
        assertThat(restarted.get("stopped_in_time").asBoolean()).isTrue();
        UUID after = enqueue("healthy", "{\"job\":\"after-restart\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.xlen(keyPrefix + "healthy") == 1);
        assertThat(after).isNotNull();

        assertThat(send("POST", "/api/v1/admin/outbox/" + UUID.randomUUID() + "/republish", TOKEN, null).statusCode())
                .isEqualTo(404);
        redis.del(keyPrefix + "critical");
        JsonNode republished = ok(send("POST", "/api/v1/admin/outbox/" + critical + "/republish", TOKEN, null));
        assertThat(republished.get("id").asText()).isEqualTo(critical.toString());
        assertThat(republished.get("entry_id").asText()).isNotBlank();
        assertThat(republished.get("duplicate").asBoolean()).isFalse();
        assertThat(redis.xlen(keyPrefix + "critical")).isEqualTo(1);
    }

    private UUID enqueue(String stream, String json) throws SQLException {
        OutboxMessage message = OutboxMessage.builder(stream).payload(json).contentType("application/json").build();
        try (Connection c = ds.getConnection()) {
            outbox.enqueue(c, message);
        }
        return message.id();
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        return JSON.readTree(response.body());
    }
}
