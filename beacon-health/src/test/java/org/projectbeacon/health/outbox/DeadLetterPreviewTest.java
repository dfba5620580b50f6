package org.projectbeacon.health.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.health.http.BeaconEndpoints;
import org.projectbeacon.health.http.HttpRequest;
import org.projectbeacon.health.http.HttpResponse;
import org.projectbeacon.outbox.DeadLetterFilter;
import org.projectbeacon.outbox.DeadLetterQueue;
import org.projectbeacon.outbox.InProcessSink;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxPublisher;
import org.projectbeacon.outbox.OutboxRecord;

/** {@code POST /api/v1/admin/dlq/preview}: the count a requeue or purge would act on, acting on none. */
class DeadLetterPreviewTest {

    private static final String TOKEN = "preview-admin-token-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterQueue dlq;
    private BeaconEndpoints endpoints;
    private UUID first;

    @BeforeEach
    void setUp() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:preview_" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ";DB_CLOSE_DELAY=-1");
        OutboxConfig config = OutboxConfig.builder().tablePrefix("preview_").build();
        Outbox.create(config).migrate(ds);
        InProcessSink sink = new InProcessSink();
        dlq = DeadLetterQueue.create(ds, config, sink);
        first = dlq.add(record("jobs"), 3, new IllegalStateException("<img src=x onerror=alert(1)>"));
        dlq.add(record("jobs"), 3, new java.io.IOException("no provider accepted the probe"));
        dlq.add(record("other"), 3, new java.io.IOException("no provider accepted the probe"));
        endpoints = BeaconEndpoints.builder().adminToken(TOKEN)
                .routes(OutboxRoutes.of(dlq, OutboxPublisher.builder(ds, config, sink).build())).build();
    }

    @Test
    void countsWhatAFilterMatchesWithoutActing() throws Exception {
        HttpResponse response = preview("{\"filter\":{\"stream\":\"jobs\"}}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("matches").asLong()).isEqualTo(2);
        assertThat(matches("{\"filter\":{\"error_class\":\"java.io.IOException\"}}")).isEqualTo(2);
        assertThat(matches("{\"filter\":{}}")).isEqualTo(3);
        assertThat(dlq.count(DeadLetterFilter.all())).as("nothing requeued or purged").isEqualTo(3);
    }

    @Test
    void countsTheIdsStillInTheQueue() throws Exception {
        assertThat(matches("{\"ids\":[\"" + first + "\",\"" + UUID.randomUUID() + "\"]}")).isEqualTo(1);
    }

    @Test
    void rejectsABodyWithNeitherOrBothNamingTheProblem() {
        HttpResponse neither = preview("{}");
        assertThat(neither.status()).isEqualTo(400);
        assertThat(new String(neither.body(), StandardCharsets.UTF_8)).contains("exactly one of ids or filter").contains("neither");
        HttpResponse unknown = preview("{\"filter\":{\"colour\":\"red\"}}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(new String(unknown.body(), StandardCharsets.UTF_8)).contains("colour");
    }

    private long matches(String body) throws Exception {
        JsonNode json = JSON.readTree(preview(body).body());
        return json.get("matches").asLong();
    }

    private HttpResponse preview(String body) {
        return endpoints.handle(new HttpRequest("POST", OutboxRoutes.DLQ_PATH + "/preview", Map.of(),
                Map.of("authorization", List.of("Bearer " + TOKEN)), body.getBytes(StandardCharsets.UTF_8), Map.of()));
    }

    private static OutboxRecord record(String stream) {
        return new OutboxRecord(UUID.randomUUID(), stream, null, "job".getBytes(StandardCharsets.UTF_8), "text/plain",
                Map.of(), Instant.parse("2026-01-01T00:00:00Z"), 3);
    }
}
