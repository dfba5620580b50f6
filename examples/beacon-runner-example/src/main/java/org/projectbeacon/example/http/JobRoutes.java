package org.projectbeacon.example.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.projectbeacon.example.jobs.Job;
import org.projectbeacon.example.jobs.JobStore;
import org.projectbeacon.health.http.BeaconEndpoints;
import org.projectbeacon.health.http.HttpRequest;
import org.projectbeacon.health.http.HttpResponse;
import org.projectbeacon.health.http.Route;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxMessage;
import org.projectbeacon.resilience.metrics.RunnerMetrics;

/**
 * {@code POST /api/v1/jobs} and {@code GET /api/v1/jobs/{id}}: accepting a job writes its row and
 * its outbox message in one transaction, so a job is never accepted without being queued, nor queued
 * without being accepted.
 */
public final class JobRoutes {

    /** The stream jobs are published to. */
    public static final String STREAM = "jobs";

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
    private static final Set<String> FIELDS = Set.of("type", "payload", "region");

    private final DataSource dataSource;
    private final JobStore jobs;
    private final Outbox outbox;
    private final String stream;
    private final List<String> regions;
    private final RunnerMetrics metrics;

    /** Routes writing to {@code jobs} and {@code outbox} on {@code dataSource}. */
    public JobRoutes(DataSource dataSource, JobStore jobs, Outbox outbox, String stream, List<String> regions,
            RunnerMetrics metrics) {
        this.dataSource = dataSource;
        this.jobs = jobs;
        this.outbox = outbox;
        this.stream = stream;
        this.regions = regions;
        this.metrics = metrics;
    }

    /** The two routes. */
    public List<Route> routes() {
        return List.of(Route.of("POST", "/api/v1/jobs", this::submit), Route.of("GET", "/api/v1/jobs/{id}", this::get));
    }

    private HttpResponse submit(HttpRequest request) throws Exception {
        JsonNode body = request.bodyAsJson();
        if (!body.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object with type, payload and optional region");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'; expected type, payload, region");
            }
        });
        JsonNode type = body.get("type");
        if (type == null || !type.isTextual() || !TYPE.matcher(type.asText()).matches()) {
            throw new IllegalArgumentException("type is required and must match " + TYPE.pattern() + " but was "
                    + (type == null ? "missing" : type.toString()));
        }
        JsonNode payload = body.get("payload");
        if (payload == null || !payload.isObject()) {
            throw new IllegalArgumentException("payload is required and must be a JSON object but was "
                    + (payload == null ? "missing" : payload.getNodeType().name().toLowerCase()));
        }
        JsonNode region = body.get("region");
        if (region != null && !region.isNull() && (!region.isTextual() || !regions.contains(region.asText()))) {
            throw new IllegalArgumentException("region must be one of " + regions + " but was " + region);
        }
        String id = UUID.randomUUID().toString();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                jobs.insert(connection, id, type.asText(), payload.toString(),
                        region == null || region.isNull() ? null : region.asText());
                outbox.enqueue(connection, OutboxMessage.builder(stream)
                        .id(UUID.fromString(id))
                        .payload(id)
                        .contentType("text/plain")
                        .build());
                connection.commit();
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
        metrics.jobEnqueued();
        return BeaconEndpoints.json(202, Map.of("id", id));
    }

    private HttpResponse get(HttpRequest request) throws Exception {
        String id = request.pathParameter("id");
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("id must be a UUID but was '" + id + "'");
        }
        Job job = jobs.find(id).orElseThrow(() -> new NoSuchElementException("no job " + id));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", job.id());
        json.put("type", job.type());
        json.put("region", job.region());
        json.put("status", job.status().name());
        json.put("attempts", job.attempts());
        json.put("processed_count", job.processedCount());
        json.put("last_error", job.lastError());
        json.put("created_at", job.createdAt().toString());
        json.put("updated_at", job.updatedAt().toString());
        json.put("payload", MAPPER.readTree(job.payload().getBytes(StandardCharsets.UTF_8)));
        json.put("history", job.history().stream().map(change -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("at", change.at().toString());
            entry.put("status", change.status().name());
            entry.put("detail", change.detail());
            return entry;
        }).toList());
        return BeaconEndpoints.json(200, json);
    }
}
