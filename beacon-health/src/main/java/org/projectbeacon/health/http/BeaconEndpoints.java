package org.projectbeacon.health.http;

import static org.projectbeacon.health.HealthMetricCatalog.HTTP_BUCKETS_SECONDS;
import static org.projectbeacon.health.HealthMetricCatalog.HTTP_REQUEST_DURATION;
import static org.projectbeacon.health.HealthMetricCatalog.TAG_METHOD;
import static org.projectbeacon.health.HealthMetricCatalog.TAG_ROUTE;
import static org.projectbeacon.health.HealthMetricCatalog.TAG_STATUS;
import static org.projectbeacon.health.HealthMetricCatalog.UNMATCHED_ROUTE;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.projectbeacon.health.HealthAggregator;
import org.projectbeacon.health.HealthReport;
import org.projectbeacon.health.internal.AuditTrail;
import org.projectbeacon.health.internal.HealthJson;
import org.projectbeacon.resilience.BreakerAdmin;
import org.projectbeacon.resilience.BreakerSnapshot;
import org.projectbeacon.resilience.GuardSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's HTTP endpoints as framework-neutral handlers: health, metrics and the admin API.
 *
 * <p>Routes: {@code GET /health/live}, {@code GET /health/ready}, {@code GET /metrics} (Prometheus
 * text, or OpenMetrics when {@code Accept} asks for it), and behind the bearer token
 * {@code GET /api/v1/admin/circuit-breakers}, {@code POST /api/v1/admin/circuit-breakers/reset} and
 * {@code POST /api/v1/admin/circuit-breakers/{name}/reset|close|disable|metrics-only|force-open?duration=PT5M},
 * plus any extra {@link Route}s (the outbox and the example add theirs). The outbox's dead letter
 * queue and publisher routes under {@code /api/v1/admin/dlq} and {@code /api/v1/admin/outbox} come from
 * {@code org.projectbeacon.health.outbox.OutboxRoutes}, added with {@link Builder#routes(List)}.
 *
 * <p>Security: admin routes require {@code Authorization: Bearer <token>}; the token is compared in
 * constant time and never logged. A missing or wrong token is 401 with {@code WWW-Authenticate:
 * Bearer} and no detail. Without a configured token the admin API is off: 403 {@code admin API is
 * disabled}. {@code HEAD} is answered for every {@code GET} route: the same status and headers,
 * {@code Content-Length} stating the body's length, and no body. Bodies over the limit are 413, malformed JSON 400, an unknown route 404, a wrong
 * method 405 with {@code Allow}; no response ever carries a stack trace. The actor recorded in
 * breaker audit events is the {@code X-Beacon-Actor} header when it is a plain name, else
 * {@code admin-api}.
 *
 * <p><b>Audit.</b> Every admin call that may change something (any method but {@code GET} and
 * {@code HEAD}) and every admin call refused for its token is an {@link AuditEntry}: logged at INFO
 * on the logger {@code beacon.audit} with action, target, actor ({@code anonymous} when refused),
 * remote address and status, kept in a ring of the latest {@link Builder#auditCapacity} entries
 * readable at {@code GET /api/v1/admin/audit?limit=N} (newest first), and sent back to the caller
 * in the {@value #AUDIT_HEADER} header. The target is the path parameters, the query and the first
 * 160 bytes of the body (a requeue's filter or ids) of an accepted call, with the token masked
 * wherever it was repeated; of a refused call, its path parameters only (a token misplaced in the
 * query or body must not reach the log). Admin routes must not take other secrets in their bodies. Successful reads are not audited: the console polls them
 * every two seconds and they change nothing. The token and request bodies never appear.
 *
 * <p>Every request is timed in {@code http_request_duration_seconds} tagged with method, route
 * template and status; bind with {@link #bindTo(MeterRegistry)}. Thread-safe.
 */
public final class BeaconEndpoints implements MeterBinder {

    /** Default 64 KiB: the largest request body accepted. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    /** The header naming who performs an admin operation, for the audit trail. */
    public static final String ACTOR_HEADER = "X-Beacon-Actor";
    /** The response header carrying an audited admin call's audit line. */
    public static final String AUDIT_HEADER = "X-Beacon-Audit";
    /** The route of the audit trail. */
    public static final String AUDIT_PATH = "/api/v1/admin/audit";
    /** Default {@value}: audit entries kept in memory. */
    public static final int DEFAULT_AUDIT_CAPACITY = 1000;
    private static final String ADMIN_PREFIX = "/api/v1/admin/";
    /** Bytes of an audited request's body kept in its target. */
    private static final int AUDIT_BODY_CHARS = 160;

    private static final Logger LOG = LoggerFactory.getLogger(BeaconEndpoints.class);
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final byte[] LIVE = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final List<Route> routes;
    private final List<RequestFilter> filters;
    private final HealthAggregator health;
    private final PrometheusMeterRegistry prometheus;
    private final BreakerAdmin breakers;
    private final byte[] adminTokenDigest;
    private final int maxBodyBytes;
    private final Clock clock;
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final AuditTrail audit;
    private volatile RenderedReport rendered;

    private record RenderedReport(HealthReport report, byte[] json) {}

    private BeaconEndpoints(Builder builder) {
        this.health = builder.health;
        this.filters = List.copyOf(builder.filters);
        this.prometheus = builder.prometheus;
        this.breakers = builder.breakers;
        this.adminTokenDigest = builder.adminToken == null ? null : sha256(builder.adminToken);
        this.maxBodyBytes = builder.maxBodyBytes;
        this.clock = builder.clock;
        this.audit = new AuditTrail(builder.auditCapacity);
        List<Route> all = new ArrayList<>();
        if (health != null) {
            all.add(Route.of("GET", "/health/live", request -> HttpResponse.json(200, LIVE)));
            all.add(Route.of("GET", "/health/ready", request -> ready()));
        }
        if (prometheus != null) {
            all.add(Route.of("GET", "/metrics", this::metrics));
        }
        if (breakers != null) {
            String base = "/api/v1/admin/circuit-breakers";
            all.add(Route.admin("GET", base, request -> json(200, Map.of("circuit_breakers", named(breakers.snapshots())))));
            all.add(Route.admin("POST", base + "/reset",
                    request -> json(200, Map.of("circuit_breakers", named(breakers.resetAll(actor(request)))))));
            all.add(Route.admin("POST", base + "/{name}/reset",
                    request -> breaker(breakers.reset(request.pathParameter("name"), actor(request)))));
            all.add(Route.admin("POST", base + "/{name}/close",
                    request -> breaker(breakers.close(request.pathParameter("name"), actor(request)))));
            all.add(Route.admin("POST", base + "/{name}/disable",
                    request -> breaker(breakers.disable(request.pathParameter("name"), actor(request)))));
            all.add(Route.admin("POST", base + "/{name}/metrics-only",
                    request -> breaker(breakers.metricsOnly(request.pathParameter("name"), actor(request)))));
            all.add(Route.admin("POST", base + "/{name}/force-open", request -> breaker(breakers.forceOpen(
                    request.pathParameter("name"), duration(request), actor(request)))));
        }
        all.add(Route.admin("GET", AUDIT_PATH, this::auditTrail));
        all.addAll(builder.extraRoutes);
        Set<String> seen = new LinkedHashSet<>();
        for (Route route : all) {
            if (!seen.add(route.method() + " " + route.template())) {
                throw new IllegalArgumentException("routes must be unique but " + route.method() + " "
                        + route.template() + " is defined twice");
            }
        }
        this.routes = List.copyOf(all);
    }

    /** A builder; every part is optional and only the parts given get routes. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every route served, in matching order. */
    public List<Route> routes() {
        return routes;
    }

    /** The latest {@code limit} audit entries, newest first; see the type's documentation. */
    public List<AuditEntry> audit(int limit) {
        return audit.latest(limit);
    }

    /** Whether an admin token is configured, so the admin API answers. */
    public boolean adminEnabled() {
        return adminTokenDigest != null;
    }

    /** The largest request body accepted, in bytes. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Sends {@code http_request_duration_seconds} to {@code registry} too. */
    @Override
    public void bindTo(MeterRegistry registry) {
        meters.add(Objects.requireNonNull(registry, "registry"));
    }

    /** Answers {@code request}; never throws, never puts a stack trace in the response. */
    public HttpResponse handle(HttpRequest request) {
        long start = System.nanoTime();
        String routeTag = UNMATCHED_ROUTE;
        HttpResponse response;
        try {
            if (request.body().length > maxBodyBytes) {
                response = HttpResponse.error(413, "request body larger than " + maxBodyBytes + " bytes");
            } else {
                Match match = match(request);
                boolean head = match.route == null && "HEAD".equals(request.method());
                if (head) {
                    // HEAD is GET without the body (RFC 9110 9.3.2): same status and headers.
                    match = match(asGet(request));
                }
                if (match.route != null) {
                    routeTag = match.route.template();
                    HttpRequest matched = (head ? asGet(request) : request).withPathParameters(match.parameters);
                    response = serve(match.route, matched);
                    if (match.route.admin()) {
                        response = audited(match.route, matched, response);
                    }
                    if (head) {
                        response = withoutBody(response);
                    }
                } else if (!match.allowed.isEmpty()) {
                    response = HttpResponse.error(405, "method " + printable(request.method()) + " not allowed")
                            .withHeader("Allow", String.join(", ", match.allowed));
                } else {
                    response = HttpResponse.error(404, "no route for " + printable(request.path()));
                }
            }
        } catch (RuntimeException e) {
            LOG.error("request {} {} failed", printable(request.method()), routeTag, e);
            response = HttpResponse.error(500, "internal error");
        }
        record(request.method(), routeTag, response.status(), System.nanoTime() - start);
        return response;
    }

    /**
     * The route {@code method} and {@code path} would be served by ({@code HEAD} maps to the
     * {@code GET} route), or {@code null} when none matches: lets the server pick the request's
     * executor before reading its body.
     */
    Route routeFor(String method, String path) {
        HttpRequest request = HttpRequest.of(method, path);
        Match match = match(request);
        if (match.route == null && "HEAD".equals(method)) {
            match = match(asGet(request));
        }
        return match.route;
    }

    /**
     * The answer to a request the server could not queue: 503 with {@code Retry-After}, timed in
     * {@code http_request_duration_seconds} under {@code route} ({@code null} for unmatched) so that
     * shed load shows in the same series as served load.
     */
    HttpResponse overloaded(String method, Route route, String retryAfterSeconds) {
        HttpResponse response = HttpResponse.error(503, "server busy: the request queue is full, retry later")
                .withHeader("Retry-After", retryAfterSeconds);
        record(method, route == null ? UNMATCHED_ROUTE : route.template(), 503, 0);
        return response;
    }

    private HttpResponse audited(Route route, HttpRequest request, HttpResponse response) {
        boolean read = "GET".equals(request.method()) || "HEAD".equals(request.method());
        boolean rejected = response.status() == 401 || response.status() == 403;
        if (read && !rejected) {
            return response;
        }
        String action = request.method() + " " + (route.template().startsWith(ADMIN_PREFIX)
                ? route.template().substring(ADMIN_PREFIX.length()) : route.template());
        String presented = rejected ? null : presentedToken(request);
        List<String> target = new ArrayList<>();
        // The token must never reach the trail, wherever a caller put it: a path segment equal to it
        // is masked, and a refused call (whose query or body may be a misplaced token) names its path only.
        request.pathParameters().forEach((name, value) -> target.add(name + "=" + (isAdminToken(value) ? "***" : value)));
        if (!rejected) {
            new java.util.TreeMap<>(request.query()).forEach((name, values) ->
                    values.forEach(value -> target.add(name + "=" + value)));
        }
        if (!rejected && request.body().length > 0) {
            // What a requeue or purge acted on is its filter or ids; admin bodies carry no secrets.
            // Decoded a token's length further than kept, so that a token across the cut is masked whole.
            int decoded = Math.min(request.body().length, AUDIT_BODY_CHARS + (presented == null ? 0 : presented.length()));
            String body = mask(new String(request.body(), 0, decoded, java.nio.charset.StandardCharsets.UTF_8), presented)
                    .replaceAll("\\s+", " ").strip();
            target.add("body=" + (body.length() > AUDIT_BODY_CHARS || request.body().length > decoded
                    ? body.substring(0, Math.min(body.length(), AUDIT_BODY_CHARS)) + "..." : body));
        }
        // An accepted call's token, repeated in its query or body, is masked too.
        String joined = rejected ? String.join(" ", target) : mask(String.join(" ", target), presented);
        // Bounded and printable: a caller without the token must not be able to flood or forge log lines.
        String targetText = target.isEmpty() ? "-" : (joined.length() > 400 ? joined.substring(0, 400) + "..." : joined)
                .replaceAll("[^\\x20-\\x7e]", "?").replace('"', '\'');
        AuditEntry entry = new AuditEntry(clock.instant(), action, targetText, rejected ? "anonymous" : actor(request),
                request.remoteAddress() == null ? "unknown" : printable(request.remoteAddress()), response.status());
        audit.record(entry);
        return response.withHeader(AUDIT_HEADER, entry.line());
    }

    private HttpResponse auditTrail(HttpRequest request) {
        String value = request.queryParameter("limit").orElse("100");
        int limit;
        try {
            limit = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > audit.capacity()) {
            throw new IllegalArgumentException("limit must be an integer in [1, " + audit.capacity() + "] but was '"
                    + printable(value) + "'");
        }
        return json(200, Map.of("entries", audit.latest(limit).stream().map(AuditEntry::toJson).toList()));
    }

    private static HttpRequest asGet(HttpRequest request) {
        return new HttpRequest("GET", request.path(), request.query(), request.headers(), request.body(),
                request.pathParameters(), request.remoteAddress());
    }

    private static HttpResponse withoutBody(HttpResponse response) {
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        if (response.body().length > 0) {
            // What a GET would have sent: a HEAD answer states the length it does not send.
            headers.put("Content-Length", Integer.toString(response.body().length));
        }
        return new HttpResponse(response.status(), response.contentType(), headers, new byte[0]);
    }

    private HttpResponse serve(Route route, HttpRequest request) {
        if (route.admin()) {
            HttpResponse refusal = authorize(request);
            if (refusal != null) {
                return refusal;
            }
        }
        try {
            for (RequestFilter filter : filters) {
                HttpResponse answer = filter.before(route, request);
                if (answer != null) {
                    return answer;
                }
            }
            return route.handler().handle(request);
        } catch (StreamConstraintsException e) {
            // No location: the parser stopped at a limit (nesting depth, number or string length).
            return HttpResponse.error(400, "malformed JSON: the body exceeds the parser's limits on nesting depth,"
                    + " number or string length");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            return HttpResponse.error(400, at == null ? "malformed JSON"
                    : "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr());
        } catch (IllegalArgumentException e) {
            return HttpResponse.error(400, e.getMessage());
        } catch (NoSuchElementException e) {
            return HttpResponse.error(404, e.getMessage());
        } catch (UnavailableException e) {
            if (e.getCause() == null) {
                LOG.info("request {} {} answered 503: {}", route.method(), route.template(), e.getMessage());
            } else {
                LOG.warn("request {} {} answered 503: {}: {}", route.method(), route.template(), e.getMessage(),
                        e.getCause().toString());
            }
            return HttpResponse.error(503, e.getMessage()).withHeader("Retry-After", e.retryAfterSeconds());
        } catch (java.sql.SQLException e) {
            // The database is unreachable or refused the work: the client may retry, which a 500 would not say.
            LOG.warn("request {} {} answered 503, database unavailable: {}", route.method(), route.template(),
                    e.toString());
            return HttpResponse.error(503, "database unavailable, retry later")
                    .withHeader("Retry-After", Long.toString(UnavailableException.DEFAULT_RETRY_AFTER.toSeconds()));
        } catch (Exception e) {
            LOG.error("request {} {} failed", route.method(), route.template(), e);
            return HttpResponse.error(500, "internal error");
        }
    }

    private HttpResponse authorize(HttpRequest request) {
        if (adminTokenDigest == null) {
            return HttpResponse.error(403, "admin API is disabled: no admin token is configured");
        }
        String token = presentedToken(request);
        // Comparing digests keeps the comparison constant-time whatever the lengths.
        if (token == null || !MessageDigest.isEqual(sha256(token), adminTokenDigest)) {
            return HttpResponse.error(401, "unauthorized").withHeader("WWW-Authenticate", "Bearer realm=\"beacon-admin\"");
        }
        return null;
    }

    /** The token of a {@code Bearer} Authorization header, or null when there is none. */
    private static String presentedToken(HttpRequest request) {
        String header = request.header("Authorization").orElse("");
        int space = header.indexOf(' ');
        boolean bearer = space > 0 && header.substring(0, space).equalsIgnoreCase("Bearer");
        // RFC 6750: "Bearer" 1*SP token. Only the separating spaces go; anything else (a trailing
        // control character, say) is part of what was presented and makes it differ.
        return bearer ? header.substring(space).replaceFirst("^ +", "") : null;
    }

    private static String mask(String text, String token) {
        return token == null || token.isEmpty() ? text : text.replace(token, "***");
    }

    private boolean isAdminToken(String value) {
        return adminTokenDigest != null && MessageDigest.isEqual(sha256(value), adminTokenDigest);
    }

    private HttpResponse ready() {
        HealthReport report = health.report();
        RenderedReport current = rendered;
        if (current == null || current.report != report) {
            // The report changes only when a check finishes, so render it once per change.
            current = new RenderedReport(report, toJson(HealthJson.report(report)));
            rendered = current;
        }
        long ageSeconds = report.age(clock.instant()).toSeconds();
        return HttpResponse.json(report.status().httpStatus(), current.json)
                .withHeader("Age", Long.toString(ageSeconds))
                .withHeader("Cache-Control", "no-store");
    }

    private HttpResponse metrics(HttpRequest request) {
        // Only the two text formats are offered, whatever else Accept lists (protobuf included).
        String contentType = request.header("Accept").orElse("").contains("application/openmetrics-text")
                ? OPENMETRICS : PROMETHEUS_TEXT;
        return new HttpResponse(200, contentType, Map.of(), prometheus.scrape(contentType).getBytes(StandardCharsets.UTF_8));
    }

    private static List<Map<String, Object>> named(List<BreakerSnapshot> snapshots) {
        return snapshots.stream().map(HealthJson::namedBreaker).toList();
    }

    private static HttpResponse breaker(BreakerSnapshot snapshot) {
        return json(200, HealthJson.namedBreaker(snapshot));
    }

    private static Duration duration(HttpRequest request) {
        String value = request.queryParameter("duration").orElseThrow(() ->
                new IllegalArgumentException("duration is required, such as ?duration=PT5M"));
        Duration duration;
        try {
            duration = GuardSettings.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("duration: " + e.getMessage());
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("duration must be positive but was " + printable(value));
        }
        return duration;
    }

    /**
     * Who asks for an admin action, for logs and audit lines: the {@value #ACTOR_HEADER} header when it is a
     * plain name (letters, digits, {@code ._@-}, at most 64), else {@code admin-api}. Never the token.
     */
    public static String actor(HttpRequest request) {
        return request.header(ACTOR_HEADER).filter(name -> PLAIN_NAME.matcher(name).matches()).orElse("admin-api");
    }

    /** Serialises {@code value} with the endpoints' JSON mapper. */
    public static HttpResponse json(int status, Object value) {
        return HttpResponse.json(status, toJson(value));
    }

    private static byte[] toJson(Object value) {
        try {
            return HealthJson.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a response", e);
        }
    }

    private void record(String method, String route, int status, long nanos) {
        String methodTag = KNOWN_METHODS.contains(method) ? method : "OTHER";
        String key = methodTag + ' ' + route + ' ' + status;
        timers.computeIfAbsent(key, k -> Timer.builder(HTTP_REQUEST_DURATION)
                .description("HTTP requests served, by method, route and status")
                .tag(TAG_METHOD, methodTag)
                .tag(TAG_ROUTE, route)
                .tag(TAG_STATUS, Integer.toString(status))
                .serviceLevelObjectives(Arrays.stream(HTTP_BUCKETS_SECONDS)
                        .mapToObj(seconds -> Duration.ofNanos((long) (seconds * 1e9)))
                        .toArray(Duration[]::new))
                .register(meters)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private record Match(Route route, Map<String, String> parameters, List<String> allowed) {}

    private Match match(HttpRequest request) {
        String[] segments = split(request.path());
        List<String> allowed = new ArrayList<>();
        Route best = null;
        Map<String, String> bestParameters = null;
        int bestLiterals = -1;
        for (Route route : routes) {
            String[] template = split(route.template());
            if (template.length != segments.length) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < template.length && matches; i++) {
                if (template[i].startsWith("{")) {
                    parameters.put(template[i].substring(1, template[i].length() - 1), segments[i]);
                } else if (template[i].equals(segments[i])) {
                    literals++;
                } else {
                    matches = false;
                }
            }
            if (!matches) {
                continue;
            }
            if (!route.method().equals(request.method())) {
                if (!allowed.contains(route.method())) {
                    allowed.add(route.method());
                }
                continue;
            }
            // A literal segment beats a placeholder: /circuit-breakers/reset is not a breaker named "reset".
            if (literals > bestLiterals) {
                best = route;
                bestParameters = parameters;
                bestLiterals = literals;
            }
        }
        return new Match(best, bestParameters, allowed);
    }

    private static String[] split(String path) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.split("/", -1);
    }

    private static String printable(String value) {
        String cut = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Builds {@link BeaconEndpoints}; not thread-safe. */
    public static final class Builder {
        private HealthAggregator health;
        private PrometheusMeterRegistry prometheus;
        private BreakerAdmin breakers;
        private String adminToken;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Clock clock = Clock.systemUTC();
        private int auditCapacity = DEFAULT_AUDIT_CAPACITY;
        private final List<Route> extraRoutes = new ArrayList<>();
        private final List<RequestFilter> filters = new ArrayList<>();

        private Builder() {}

        /** Adds a filter run before every matched route's handler; see {@link RequestFilter}. */
        public Builder filter(RequestFilter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /** Serves {@code /health/live} and {@code /health/ready} from {@code health}. */
        public Builder health(HealthAggregator health) {
            this.health = Objects.requireNonNull(health, "health");
            return this;
        }

        /** Serves {@code /metrics} from {@code prometheus}. */
        public Builder metrics(PrometheusMeterRegistry prometheus) {
            this.prometheus = Objects.requireNonNull(prometheus, "prometheus");
            return this;
        }

        /** Serves the circuit breaker admin routes over {@code breakers}. */
        public Builder breakerAdmin(BreakerAdmin breakers) {
            this.breakers = Objects.requireNonNull(breakers, "breakers");
            return this;
        }

        /**
         * The admin API's bearer token; without one the admin API is off. The token is kept only as a
         * digest and appears in no message.
         *
         * @throws IllegalArgumentException when it is blank or holds whitespace (the message omits it)
         */
        public Builder adminToken(String adminToken) {
            if (adminToken == null || adminToken.isBlank() || !adminToken.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("adminToken must be printable ASCII without whitespace (value not shown)");
            }
            this.adminToken = adminToken;
            return this;
        }

        /** The largest request body: in [0, 16 MiB]; default {@value BeaconEndpoints#DEFAULT_MAX_BODY_BYTES}. */
        public Builder maxBodyBytes(int maxBodyBytes) {
            if (maxBodyBytes < 0 || maxBodyBytes > 16 * 1024 * 1024) {
                throw new IllegalArgumentException("maxBodyBytes must be in [0, 16777216] but was " + maxBodyBytes);
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /** Audit entries kept in memory: in [1, 100000]; default {@value BeaconEndpoints#DEFAULT_AUDIT_CAPACITY}. */
        public Builder auditCapacity(int auditCapacity) {
            if (auditCapacity < 1 || auditCapacity > 100_000) {
                throw new IllegalArgumentException("auditCapacity must be in [1, 100000] but was " + auditCapacity);
            }
            this.auditCapacity = auditCapacity;
            return this;
        }

        /** The clock for the {@code Age} of health reports and audit entries; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Adds a route. */
        public Builder route(Route route) {
            extraRoutes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        /** Adds routes. */
        public Builder routes(List<Route> routes) {
            routes.forEach(this::route);
            return this;
        }

        /**
         * Builds the endpoints.
         *
         * @throws IllegalArgumentException when two routes share a method and template
         */
        public BeaconEndpoints build() {
            return new BeaconEndpoints(this);
        }
    }
}
