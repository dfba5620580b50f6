package org.projectbeacon.health.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.projectbeacon.health.http.BeaconEndpoints;
import org.projectbeacon.health.http.HttpRequest;
import org.projectbeacon.health.http.HttpResponse;
import org.projectbeacon.health.http.Route;
import org.projectbeacon.outbox.DeadLetter;
import org.projectbeacon.outbox.DeadLetterFilter;
import org.projectbeacon.outbox.DeadLetterQueue;
import org.projectbeacon.outbox.FailurePattern;
import org.projectbeacon.outbox.OutboxMonitor;
import org.projectbeacon.outbox.OutboxPublisher;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.PublisherStatus;
import org.projectbeacon.outbox.SendResult;
import org.projectbeacon.outbox.UnpublishedMessage;

/**
 * The outbox part of the admin API ("Dead Letter Queue Processing" and "Jobs Stuck in Queue" of the
 * runbook), as {@link Route}s for {@link BeaconEndpoints.Builder#routes(List)}. Every route is an
 * admin route, so it requires the bearer token.
 *
 * <ul>
 *   <li>{@code GET /api/v1/admin/dlq?page=0&size=50&stream=&error_class=&from=&to=} — a page of dead letters, newest first</li>
 *   <li>{@code GET /api/v1/admin/dlq/patterns} (same filters) — the failure patterns, most frequent first</li>
 *   <li>{@code POST /api/v1/admin/dlq/requeue} with {@code {"ids":[...]}} or {@code {"filter":{...}}}</li>
 *   <li>{@code POST /api/v1/admin/dlq/purge} with a non-empty {@code {"filter":{...}}}</li>
 *   <li>{@code POST /api/v1/admin/dlq/preview} with the body of a requeue or purge — how many dead
 *       letters it would act on ({@code {"matches":n}}), acting on none</li>
 *   <li>{@code POST /api/v1/admin/outbox/{id}/republish} — send one dead letter now; with a monitor
 *       ({@link #of(DeadLetterQueue, OutboxPublisher, OutboxMonitor)}) also make an unpublished message
 *       due now (202)</li>
 *   <li>{@code GET /api/v1/admin/outbox/unpublished?limit=50} (with a monitor) — the oldest unpublished
 *       messages, each with its age, attempts and whether it is stuck</li>
 *   <li>{@code GET /api/v1/admin/outbox/publisher} and {@code POST /api/v1/admin/outbox/publisher/restart}</li>
 * </ul>
 *
 * <p>JSON keys are snake_case and instants ISO-8601 strings. Payloads never appear raw: each dead
 * letter carries {@code payload_size}, and {@code payload} as text only when its content type is
 * textual or JSON, it is valid UTF-8 and at most {@value #MAX_INLINE_PAYLOAD_BYTES} bytes.
 *
 * <p>Failures: bad input throws {@link IllegalArgumentException} naming the field and the (shortened,
 * printable) value, which the endpoints answer 400; an unknown id throws
 * {@link NoSuchElementException}, answered 404; a database error reaches the endpoints as a 500
 * without detail. The routes hold no state besides their collaborators and are thread-safe; restarts
 * requested through the API are serialised.
 */
public final class OutboxRoutes {

    /** The prefix of the dead letter routes. */
    public static final String DLQ_PATH = "/api/v1/admin/dlq";
    /** The prefix of the outbox routes. */
    public static final String OUTBOX_PATH = "/api/v1/admin/outbox";
    /** Default page size of {@code GET /dlq}: {@value}. */
    public static final int DEFAULT_PAGE_SIZE = 50;
    /** Largest page size of {@code GET /dlq}: {@value}. */
    public static final int MAX_PAGE_SIZE = 500;
    /** Largest page number accepted: {@value}; keeps the offset far from overflow. */
    public static final int MAX_PAGE = 1_000_000;
    /** Most ids one requeue request may name: {@value}. */
    public static final int MAX_IDS = 1000;
    /** Largest payload shown as text: {@value} bytes (4 KiB). */
    public static final int MAX_INLINE_PAYLOAD_BYTES = 4096;
    /** Default bound of {@code POST /outbox/publisher/restart}: 10 s. */
    public static final Duration DEFAULT_RESTART_TIMEOUT = Duration.ofSeconds(10);

    private static final Set<String> LIST_PARAMETERS = Set.of("page", "size", "stream", "error_class", "from", "to");
    private static final Set<String> FILTER_PARAMETERS = Set.of("stream", "error_class", "from", "to");

    private final DeadLetterQueue dlq;
    private final OutboxPublisher publisher;
    private final Duration restartTimeout;
    private final Object restartLock = new Object();
    /** The outbox's unpublished side, or null when the routes were built without one. */
    private final OutboxMonitor monitor;

    private OutboxRoutes(DeadLetterQueue dlq, OutboxPublisher publisher, Duration restartTimeout, OutboxMonitor monitor) {
        this.dlq = Objects.requireNonNull(dlq, "dlq");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.restartTimeout = restartTimeout;
        this.monitor = monitor;
    }

    /**
     * The outbox admin routes over {@code dlq} and {@code publisher}, restarting with
     * {@link #DEFAULT_RESTART_TIMEOUT}.
     *
     * @throws NullPointerException when either is null
     */
    public static List<Route> of(DeadLetterQueue dlq, OutboxPublisher publisher) {
        return of(dlq, publisher, DEFAULT_RESTART_TIMEOUT);
    }

    /**
     * As {@link #of(DeadLetterQueue, OutboxPublisher)}, waiting at most {@code restartTimeout} (1 ms to
     * 5 min) for the workers to stop on a restart.
     *
     * @throws IllegalArgumentException when {@code restartTimeout} is out of range
     */
    public static List<Route> of(DeadLetterQueue dlq, OutboxPublisher publisher, Duration restartTimeout) {
        return of(dlq, publisher, restartTimeout, null);
    }

    /**
     * As {@link #of(DeadLetterQueue, OutboxPublisher)}, plus the unpublished side of the outbox over
     * {@code monitor}: {@code GET /api/v1/admin/outbox/unpublished} lists the oldest unpublished
     * messages, and {@code POST /api/v1/admin/outbox/{id}/republish} of an id that is no dead letter
     * but an unpublished message makes it due now ({@link OutboxMonitor#makeDue}), answering 202.
     *
     * @throws NullPointerException when any argument is null
     */
    public static List<Route> of(DeadLetterQueue dlq, OutboxPublisher publisher, OutboxMonitor monitor) {
        return of(dlq, publisher, DEFAULT_RESTART_TIMEOUT, Objects.requireNonNull(monitor, "monitor"));
    }

    private static List<Route> of(DeadLetterQueue dlq, OutboxPublisher publisher, Duration restartTimeout,
            OutboxMonitor monitor) {
        if (restartTimeout == null || restartTimeout.toMillis() < 1 || restartTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("restartTimeout must be in [1ms, 5m] but was " + restartTimeout);
        }
        OutboxRoutes routes = new OutboxRoutes(dlq, publisher, restartTimeout, monitor);
        List<Route> list = new ArrayList<>(List.of(
                Route.admin("GET", DLQ_PATH, routes::list),
                Route.admin("GET", DLQ_PATH + "/patterns", routes::patterns),
                Route.admin("POST", DLQ_PATH + "/requeue", routes::requeue),
                Route.admin("POST", DLQ_PATH + "/purge", routes::purge),
                Route.admin("POST", DLQ_PATH + "/preview", routes::preview),
                Route.admin("POST", OUTBOX_PATH + "/{id}/republish", monitor == null ? routes::republish : routes::republishAny),
                Route.admin("GET", OUTBOX_PATH + "/publisher", request -> BeaconEndpoints.json(200, status(publisher.status()))),
                Route.admin("POST", OUTBOX_PATH + "/publisher/restart", routes::restart)));
        if (monitor != null) {
            list.add(Route.admin("GET", OUTBOX_PATH + "/unpublished", routes::unpublished));
        }
        return List.copyOf(list);
    }

    private HttpResponse list(HttpRequest request) throws Exception {
        rejectUnknownParameters(request, LIST_PARAMETERS);
        int page = intParameter(request, "page", 0, 0, MAX_PAGE);
        int size = intParameter(request, "size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        DeadLetterFilter filter = queryFilter(request);
        List<Map<String, Object>> items = new ArrayList<>();
        for (DeadLetter d : dlq.list(filter, page, size)) {
            items.add(deadLetter(d));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("items", items);
        json.put("page", page);
        json.put("size", size);
        json.put("total", dlq.count(filter));
        return BeaconEndpoints.json(200, json);
    }

    private HttpResponse patterns(HttpRequest request) throws Exception {
        rejectUnknownParameters(request, FILTER_PARAMETERS);
        List<Map<String, Object>> patterns = new ArrayList<>();
        for (FailurePattern p : dlq.failurePatterns(queryFilter(request))) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("error_class", p.errorClass());
            json.put("pattern", p.errorPattern());
            json.put("count", p.count());
            json.put("first_seen", instant(p.firstSeen()));
            json.put("last_seen", instant(p.lastSeen()));
            patterns.add(json);
        }
        return BeaconEndpoints.json(200, Map.of("patterns", patterns));
    }

    private HttpResponse requeue(HttpRequest request) throws Exception {
        JsonNode body = objectBody(request, Set.of("ids", "filter"));
        boolean hasIds = body.has("ids");
        boolean hasFilter = body.has("filter");
        if (hasIds == hasFilter) {
            throw new IllegalArgumentException("body must have exactly one of ids or filter but had "
                    + (hasIds ? "both" : "neither"));
        }
        long requeued = 0;
        if (hasIds) {
            for (UUID id : ids(body.get("ids"))) {
                // An id no longer in the queue (requeued or purged meanwhile) is skipped, not an error.
                if (dlq.requeue(id)) {
                    requeued++;
                }
            }
        } else {
            // An empty filter requeues everything: unlike a purge it loses nothing.
            requeued = dlq.requeue(bodyFilter(body.get("filter")));
        }
        return BeaconEndpoints.json(200, Map.of("requeued", requeued));
    }

    private HttpResponse purge(HttpRequest request) throws Exception {
        JsonNode body = objectBody(request, Set.of("filter"));
        if (!body.has("filter")) {
            throw new IllegalArgumentException("filter is required to purge, such as {\"filter\":{\"stream\":\"jobs\"}}");
        }
        DeadLetterFilter filter = bodyFilter(body.get("filter"));
        if (filter.equals(DeadLetterFilter.all())) {
            throw new IllegalArgumentException("filter must name at least one of stream, error_class, from, to: "
                    + "refusing to purge the whole dead letter queue");
        }
        return BeaconEndpoints.json(200, Map.of("purged", dlq.purge(filter)));
    }

    /** What a requeue or purge with the same body would act on, without acting: the console's preview. */
    private HttpResponse preview(HttpRequest request) throws Exception {
        JsonNode body = objectBody(request, Set.of("ids", "filter"));
        if (body.has("ids") == body.has("filter")) {
            throw new IllegalArgumentException("body must have exactly one of ids or filter but had "
                    + (body.has("ids") ? "both" : "neither"));
        }
        long matches = 0;
        if (body.has("ids")) {
            for (UUID id : ids(body.get("ids"))) {
                if (dlq.find(id).isPresent()) {
                    matches++;
                }
            }
        } else {
            matches = dlq.count(bodyFilter(body.get("filter")));
        }
        return BeaconEndpoints.json(200, Map.of("matches", matches));
    }

    private HttpResponse republish(HttpRequest request) throws Exception {
        UUID id = uuid("id", request.pathParameter("id"));
        SendResult result;
        try {
            result = dlq.republish(id);
        } catch (NoSuchElementException e) {
            throw new NoSuchElementException("no dead letter has id " + id);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id.toString());
        json.put("entry_id", result.entryId());
        json.put("duplicate", result.duplicate());
        if (!result.isSuccess()) {
            // The message stays in the queue; the sink's error class and message say why (no stack trace).
            json.put("error", describe(result.failure()));
            return BeaconEndpoints.json(502, json);
        }
        return BeaconEndpoints.json(200, json);
    }

    /** {@code GET /outbox/unpublished?limit=}: the oldest unpublished messages, oldest first. */
    private HttpResponse unpublished(HttpRequest request) throws Exception {
        rejectUnknownParameters(request, Set.of("limit"));
        int limit = intParameter(request, "limit", DEFAULT_PAGE_SIZE, 1, OutboxMonitor.MAX_LISTED);
        List<Map<String, Object>> items = new ArrayList<>();
        long stuck = 0;
        for (UnpublishedMessage m : monitor.unpublished(limit)) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", m.id().toString());
            json.put("stream", m.stream());
            json.put("key", m.key());
            json.put("created_at", instant(m.createdAt()));
            json.put("age_seconds", m.age().toSeconds());
            json.put("attempts", m.attempts());
            json.put("next_attempt_at", instant(m.nextAttemptAt()));
            json.put("last_error", m.lastError() == null ? null : shorten(m.lastError(), 200));
            json.put("leased", m.leased());
            json.put("stuck", m.stuck());
            stuck += m.stuck() ? 1 : 0;
            items.add(json);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("items", items);
        json.put("limit", limit);
        json.put("stuck", stuck);
        json.put("publisher_running", publisher.isRunning());
        return BeaconEndpoints.json(200, json);
    }

    /**
     * {@code POST /outbox/{id}/republish} with a monitor: a dead letter is sent now as
     * {@link #republish}; otherwise an unpublished message is made due now (202, the publisher sends it
     * on its next poll); 404 when the id is neither.
     */
    private HttpResponse republishAny(HttpRequest request) throws Exception {
        UUID id = uuid("id", request.pathParameter("id"));
        if (dlq.find(id).isPresent()) {
            return republish(request);
        }
        if (!monitor.makeDue(id)) {
            if (dlq.find(id).isPresent()) {
                return republish(request); // dead-lettered between the two looks
            }
            throw new NoSuchElementException("no dead letter or unpublished message has id " + id);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id.toString());
        json.put("due", true);
        json.put("publisher_running", publisher.isRunning());
        return BeaconEndpoints.json(202, json);
    }

    private HttpResponse restart(HttpRequest request) {
        boolean stoppedInTime;
        synchronized (restartLock) {
            stoppedInTime = publisher.restart(restartTimeout);
        }
        Map<String, Object> json = status(publisher.status());
        json.put("stopped_in_time", stoppedInTime);
        return BeaconEndpoints.json(200, json);
    }

    // ---- JSON shapes ----

    private static Map<String, Object> status(PublisherStatus status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("running", status.running());
        json.put("last_successful_publish", status.lastSuccessfulPublish().map(OutboxRoutes::instant).orElse(null));
        json.put("last_error", status.lastError().orElse(null));
        json.put("last_error_at", status.lastErrorAt().map(OutboxRoutes::instant).orElse(null));
        json.put("backlog", status.backlog());
        json.put("breaker_state", status.breakerState());
        return json;
    }

    private static Map<String, Object> deadLetter(DeadLetter d) {
        OutboxRecord m = d.message();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", m.id().toString());
        json.put("stream", m.stream());
        json.put("key", m.key());
        json.put("attempts", d.attempts());
        json.put("error_class", d.errorClass());
        json.put("error_message", d.errorMessage());
        json.put("error_pattern", d.errorPattern());
        json.put("created_at", instant(m.createdAt()));
        json.put("dead_lettered_at", instant(d.deadAt()));
        json.put("history", d.history() == null || d.history().isEmpty() ? List.of() : d.history().lines().toList());
        json.put("headers", new LinkedHashMap<>(m.headers()));
        json.put("content_type", m.contentType());
        json.put("payload_size", m.payload().length);
        String text = inlineText(m.contentType(), m.payload());
        if (text != null) {
            json.put("payload", text);
        }
        return json;
    }

    /** The payload as text when it is small, textual and valid UTF-8; else null (only its size is shown). */
    private static String inlineText(String contentType, byte[] payload) {
        if (payload.length > MAX_INLINE_PAYLOAD_BYTES) {
            return null;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        type = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        boolean textual = type.startsWith("text/") || type.equals("application/json")
                || (type.startsWith("application/") && type.endsWith("+json"));
        if (!textual) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return null; // a "text" payload that is not UTF-8 would turn into replacement characters
        }
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getName() + (message == null ? "" : ": " + shorten(message, 200));
    }

    // ---- input ----

    private static void rejectUnknownParameters(HttpRequest request, Set<String> known) {
        for (String name : request.query().keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown query parameter " + quoted(name) + "; expected one of "
                        + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    private static int intParameter(HttpRequest request, String name, int fallback, int min, int max) {
        String value = request.queryParameter(name).orElse(null);
        if (value == null) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer in [" + min + ", " + max + "] but was " + quoted(value));
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "] but was " + parsed);
        }
        return parsed;
    }

    private static DeadLetterFilter queryFilter(HttpRequest request) {
        return filter(text("stream", request.queryParameter("stream").orElse(null)),
                text("error_class", request.queryParameter("error_class").orElse(null)),
                instantParameter("from", request.queryParameter("from").orElse(null)),
                instantParameter("to", request.queryParameter("to").orElse(null)));
    }

    private static DeadLetterFilter bodyFilter(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("filter must be a JSON object but was " + kind(node));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FILTER_PARAMETERS.contains(name)) {
                throw new IllegalArgumentException("unknown filter field " + quoted(name)
                        + "; expected error_class, from, stream, to");
            }
        }
        return filter(text("filter.stream", string(node, "stream")),
                text("filter.error_class", string(node, "error_class")),
                instantParameter("filter.from", string(node, "from")),
                instantParameter("filter.to", string(node, "to")));
    }

    private static DeadLetterFilter filter(String stream, String errorClass, Instant from, Instant to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("from must not be after to but was from=" + from + ", to=" + to);
        }
        return new DeadLetterFilter(stream, errorClass, from, to);
    }

    /** The string field {@code name} of {@code node}, null when absent or JSON null. */
    private static String string(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("filter." + name + " must be a string but was " + kind(value));
        }
        return value.asText();
    }

    private static String text(String field, String value) {
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank when given but was " + quoted(value));
        }
        // JSON escapes can carry unpaired surrogates and control characters that no stream or class name has.
        if (value != null && value.codePoints()
                .anyMatch(cp -> Character.getType(cp) == Character.SURROGATE || Character.isISOControl(cp))) {
            throw new IllegalArgumentException(field + " must be printable text but was " + quoted(value));
        }
        return value;
    }

    private static Instant instantParameter(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " must be an ISO-8601 instant such as 2026-01-01T00:00:00Z but was "
                    + quoted(value));
        }
    }

    private static JsonNode objectBody(HttpRequest request, Set<String> fields) throws Exception {
        JsonNode body = request.bodyAsJson();
        if (!body.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object with " + String.join(" or ", fields)
                    + " but was " + kind(body));
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new IllegalArgumentException("unknown body field " + quoted(name) + "; expected "
                        + String.join(" or ", new java.util.TreeSet<>(fields)));
            }
        }
        return body;
    }

    private static Set<UUID> ids(JsonNode node) {
        if (!node.isArray()) {
            throw new IllegalArgumentException("ids must be an array of UUID strings but was " + kind(node));
        }
        if (node.isEmpty() || node.size() > MAX_IDS) {
            throw new IllegalArgumentException("ids must hold 1 to " + MAX_IDS + " ids but held " + node.size());
        }
        Set<UUID> ids = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            if (!element.isTextual()) {
                throw new IllegalArgumentException("ids[" + i + "] must be a UUID string but was " + kind(element));
            }
            ids.add(uuid("ids[" + i + "]", element.asText()));
        }
        return ids;
    }

    private static UUID uuid(String field, String value) {
        try {
            UUID id = UUID.fromString(value);
            // UUID.fromString accepts shortened forms such as 1-2-3-4-5; only the canonical form is an id.
            if (id.toString().equalsIgnoreCase(value)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException(field + " must be a UUID but was " + quoted(value));
    }

    private static String kind(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? "null" : node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String quoted(String value) {
        return "'" + shorten(value, 80) + "'";
    }

    private static String shorten(String value, int max) {
        String cut = value.length() > max ? value.substring(0, max) + "..." : value;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
