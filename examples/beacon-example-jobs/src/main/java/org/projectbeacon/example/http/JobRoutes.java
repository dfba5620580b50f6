package org.projectbeacon.example.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.projectbeacon.example.jobs.Job;
import org.projectbeacon.example.jobs.JobStore;
import org.projectbeacon.health.http.BeaconEndpoints;
import org.projectbeacon.health.http.HttpRequest;
import org.projectbeacon.health.http.HttpResponse;
import org.projectbeacon.health.http.Route;
import org.projectbeacon.health.http.UnavailableException;
import org.projectbeacon.outbox.Outbox;
import org.projectbeacon.outbox.OutboxMessage;
import org.projectbeacon.resilience.metrics.RunnerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    /** The header that makes a submission idempotent: the same key answers the same job. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e][\\x20-\\x7e]*");
    private static final Logger LOG = LoggerFactory.getLogger(JobRoutes.class);

    private final JobStore jobs;
    private final Outbox outbox;
    private final String stream;
    private final List<String> regions;
    private final RunnerMetrics metrics;
    private volatile boolean accepting = true;

    /** Routes writing to {@code jobs} and {@code outbox}, in one transaction of the job store. */
    public JobRoutes(JobStore jobs, Outbox outbox, String stream, List<String> regions,
            RunnerMetrics metrics) {
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
        if (hasUnpairedSurrogate(payload.toString())) {
            // A JSON escape such as \ud800 decodes to half a character, which no database column can store as sent.
            throw new IllegalArgumentException("payload must not contain an unpaired surrogate escape (\\ud800-\\udfff)");
        }
        JsonNode region = body.get("region");
        if (region != null && !region.isNull() && (!region.isTextual() || !regions.contains(region.asText()))) {
            throw new IllegalArgumentException("region must be one of " + regions + " but was " + region);
        }
        String key = idempotencyKey(request);
        if (key != null) {
            Optional<HttpResponse> earlier = earlierJob(key, type.asText(), payload.toString(), regionText(region));
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        if (!accepting) {
            throw new UnavailableException("the runner is stopping; send the job to another runner or retry",
                    UnavailableException.DEFAULT_RETRY_AFTER, null);
        }
        String id = UUID.randomUUID().toString();
        try {
            jobs.inTransaction(connection -> {
                jobs.insert(connection, id, type.asText(), payload.toString(), regionText(region), key);
                outbox.enqueue(connection, OutboxMessage.builder(stream)
                        .id(UUID.fromString(id))
                        .payload(id)
                        .contentType("text/plain")
                        .build());
                return null;
            });
        } catch (SQLException e) {
            if (key != null) {
                // A request racing with this one took the key first (unique violation): answer with its job.
                Optional<HttpResponse> earlier = earlierJob(key, type.asText(), payload.toString(), regionText(region));
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            if (!saved(id)) {
                throw e; // not saved: 503 with Retry-After, and a retry cannot make a duplicate
            }
            // The commit went through though its answer was lost with the connection: the job is accepted.
            LOG.warn("job {} was saved though its commit reported {}", id, e.toString());
        }
        metrics.jobEnqueued();
        return BeaconEndpoints.json(202, Map.of("id", id));
    }

    /**
     * Stops accepting jobs: {@code POST /api/v1/jobs} answers 503 with {@code Retry-After} from now on
     * (a stopping runner hands its clients to the others).
     */
    public void stopAccepting() {
        accepting = false;
    }

    private static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static String regionText(JsonNode region) {
        return region == null || region.isNull() ? null : region.asText();
    }

    private static String idempotencyKey(HttpRequest request) {
        Optional<String> header = request.header(IDEMPOTENCY_KEY);
        if (header.isEmpty()) {
            return null;
        }
        String key = header.get();
        if (key.isEmpty() || key.length() > JobStore.MAX_IDEMPOTENCY_KEY || !PRINTABLE.matcher(key).matches()) {
            throw new IllegalArgumentException(IDEMPOTENCY_KEY + " must be 1 to " + JobStore.MAX_IDEMPOTENCY_KEY
                    + " printable ASCII characters but was " + (key.length() > 60 ? key.length() + " characters"
                    : "'" + key.replaceAll("[^\\x20-\\x7e]", "?") + "'"));
        }
        return key;
    }

    /** The answer for a key used before: 200 with the same id, or 409 when that job differs from this one. */
    private Optional<HttpResponse> earlierJob(String key, String type, String payload, String region) throws Exception {
        Optional<String> id = jobs.findByIdempotencyKey(key);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Job job = jobs.find(id.get()).orElseThrow();
        boolean same = job.type().equals(type) && java.util.Objects.equals(job.region(), region)
                && MAPPER.readTree(job.payload()).equals(MAPPER.readTree(payload));
        if (!same) {
            return Optional.of(HttpResponse.error(409, IDEMPOTENCY_KEY + " '" + key
                    + "' was used for a different job; use a new key for a new job"));
        }
        return Optional.of(BeaconEndpoints.json(200, Map.of("id", job.id())));
    }

    private boolean saved(String id) {
        try {
            return jobs.find(id).isPresent();
        } catch (SQLException e) {
            return false; // still unreachable: the client retries, with its Idempotency-Key if it sent one
        }
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
