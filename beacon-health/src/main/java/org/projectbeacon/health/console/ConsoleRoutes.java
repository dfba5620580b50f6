package org.projectbeacon.health.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.projectbeacon.health.http.BeaconEndpoints;
import org.projectbeacon.health.http.HttpRequest;
import org.projectbeacon.health.http.HttpResponse;
import org.projectbeacon.health.http.Route;
import org.projectbeacon.health.internal.HealthJson;
import org.projectbeacon.resilience.BreakerSnapshot;
import org.projectbeacon.resilience.GuardRegistry;
import org.projectbeacon.resilience.RegionFallback;

/**
 * The operator console: one page at {@code /console/} showing breakers, the outbox backlog over
 * the last half hour, dead letters and the runbook's alerts, with the admin actions behind the
 * token; as {@link Route}s for {@link BeaconEndpoints.Builder#routes(List)}.
 *
 * <p>Routes:
 * <ul>
 *   <li>{@code GET /console/} — the page, and {@code /console/console.js}, {@code console.css},
 *       {@code config.json}; static files inside the jar, no CDN, nothing fetched elsewhere
 *       ({@code GET /console} redirects to {@code /console/})</li>
 *   <li>{@code GET /health/history?since=<instant>} — the {@link HealthHistory} samples, public and
 *       read-only like {@code /health/ready} (figures only, no errors or payloads)</li>
 *   <li>{@code GET /health/breakers} — every guard's breaker and, for region fallbacks, the region a
 *       call would go to now and the one that answered last; public like {@code /health/ready},
 *       which already shows breaker states</li>
 * </ul>
 * The actions (reset, force-open, disable, requeue, purge, publisher restart) use the existing admin
 * routes with the token the operator types into the page; the page keeps it in
 * {@code sessionStorage} only and sends it as {@code Authorization: Bearer}, in POSTs.
 *
 * <p>Every console response carries a strict {@code Content-Security-Policy} (scripts, styles and
 * connections from the same origin only, no inline script or style, no framing),
 * {@code X-Frame-Options: DENY}, {@code X-Content-Type-Options: nosniff},
 * {@code Referrer-Policy: no-referrer} and {@code Cache-Control: no-store}. The page renders every
 * value with {@code textContent}, never as HTML.
 *
 * <p>Thread-safe; the static files are read from the jar once, on their first request.
 */
public final class ConsoleRoutes {

    /** The page's path. */
    public static final String CONSOLE_PATH = "/console";
    /** The history's path. */
    public static final String HISTORY_PATH = "/health/history";
    /** The breakers' path. */
    public static final String BREAKERS_PATH = "/health/breakers";
    /** The page's Content-Security-Policy. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** Default runbook: the example runner's, where the alerts' anchors are. */
    public static final String DEFAULT_RUNBOOK_URL =
            "https://github.com/projectbeacon/beacon-resilience/blob/main/examples/beacon-runner-example/docs/runbook.md";

    private static final String ASSETS = "/org/projectbeacon/health/console/assets/";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    private final HealthHistory history;
    private final GuardRegistry guards;
    private final String runbookUrl;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    private ConsoleRoutes(Builder builder) {
        this.history = builder.history;
        this.guards = builder.guards;
        this.runbookUrl = builder.runbookUrl;
    }

    /** A builder; the page is always served, the history and breakers routes when given their sources. */
    public static Builder builder() {
        return new Builder();
    }

    private List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.add(Route.of("GET", CONSOLE_PATH, this::index));
        routes.add(Route.of("GET", CONSOLE_PATH + "/config.json", request -> secured(BeaconEndpoints.json(200, config()))));
        routes.add(Route.of("GET", CONSOLE_PATH + "/{file}", request -> file(request.pathParameter("file"))));
        if (history != null) {
            routes.add(Route.of("GET", HISTORY_PATH, this::history));
        }
        if (guards != null) {
            routes.add(Route.of("GET", BREAKERS_PATH, request -> secured(BeaconEndpoints.json(200, breakers()))));
        }
        return List.copyOf(routes);
    }

    private HttpResponse index(HttpRequest request) {
        if (!request.path().endsWith("/")) {
            // Relative asset links resolve under /console/ only when the page's URL ends with a slash.
            return secured(new HttpResponse(308, null, Map.of("Location", CONSOLE_PATH + "/"), new byte[0]));
        }
        return file("index.html");
    }

    private HttpResponse file(String name) {
        String type = FILES.get(name);
        if (type == null) {
            throw new NoSuchElementException("no console file " + printable(name));
        }
        byte[] body = cache.computeIfAbsent(name, ConsoleRoutes::read);
        return secured(new HttpResponse(200, type, Map.of(), body));
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream(ASSETS + name)) {
            if (in == null) {
                throw new IllegalStateException("console file " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read console file " + name, e);
        }
    }

    private Map<String, Object> config() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runbook_url", runbookUrl);
        json.put("history", history != null);
        json.put("breakers", guards != null);
        return json;
    }

    private HttpResponse history(HttpRequest request) {
        Instant since = request.queryParameter("since").map(ConsoleRoutes::instant).orElse(null);
        List<Map<String, Object>> samples = new ArrayList<>();
        for (HealthHistory.Sample sample : history.samples(since)) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("at", sample.at().toString());
            json.put("status", sample.status());
            json.put("services", sample.services());
            samples.add(json);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("window_seconds", history.window().toSeconds());
        json.put("interval_seconds", history.interval().toMillis() / 1000.0);
        json.put("samples", samples);
        return secured(BeaconEndpoints.json(200, json));
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("since must be an ISO-8601 instant such as 2026-01-01T00:00:00Z but was '"
                    + printable(value) + "'");
        }
    }

    private Map<String, Object> breakers() {
        Map<String, Map<String, Object>> regionOf = new LinkedHashMap<>();
        List<Map<String, Object>> fallbacks = new ArrayList<>();
        for (RegionFallback fallback : guards.regionFallbacks()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("dependency", fallback.dependency());
            json.put("regions", fallback.regions());
            json.put("active_region", fallback.activeRegion().orElse(null));
            json.put("last_used_region", fallback.lastUsedRegion().orElse(null));
            fallbacks.add(json);
            for (String region : fallback.regions()) {
                Map<String, Object> of = new LinkedHashMap<>();
                of.put("dependency", fallback.dependency());
                of.put("region", region);
                of.put("in_use", region.equals(fallback.activeRegion().orElse(null)));
                regionOf.put(fallback.guard(region).name(), of);
            }
        }
        List<Map<String, Object>> breakers = new ArrayList<>();
        for (BreakerSnapshot snapshot : guards.admin().snapshots()) {
            Map<String, Object> json = HealthJson.namedBreaker(snapshot);
            json.put("region_fallback", regionOf.get(snapshot.name()));
            breakers.add(json);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("at", guards.clock().instant().toString());
        json.put("circuit_breakers", breakers);
        json.put("region_fallbacks", fallbacks);
        return json;
    }

    /** {@code response} with the console's security headers. */
    static HttpResponse secured(HttpResponse response) {
        return response
                .withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .withHeader("X-Frame-Options", "DENY")
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Referrer-Policy", "no-referrer")
                .withHeader("Cache-Control", "no-store");
    }

    private static String printable(String value) {
        String cut = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return "'" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }

    /** Builds the console's routes; not thread-safe. */
    public static final class Builder {
        private HealthHistory history;
        private GuardRegistry guards;
        private String runbookUrl = DEFAULT_RUNBOOK_URL;

        private Builder() {}

        /** Serves {@code /health/history} from {@code history}, for the backlog charts. */
        public Builder history(HealthHistory history) {
            this.history = Objects.requireNonNull(history, "history");
            return this;
        }

        /** Serves {@code /health/breakers} over {@code guards}' breakers and region fallbacks. */
        public Builder guards(GuardRegistry guards) {
            this.guards = Objects.requireNonNull(guards, "guards");
            return this;
        }

        /**
         * The runbook the alerts panel links to (each alert to its section anchor): an absolute
         * {@code http(s)} URL without a fragment; default {@link #DEFAULT_RUNBOOK_URL}.
         *
         * @throws IllegalArgumentException naming the value when it is not such a URL
         */
        public Builder runbookUrl(String runbookUrl) {
            URI uri;
            try {
                uri = runbookUrl == null ? null : URI.create(runbookUrl);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getFragment() != null || uri.getHost() == null
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("runbookUrl must be an absolute http(s) URL without a fragment but was "
                        + (runbookUrl == null ? "null" : printable(runbookUrl)));
            }
            this.runbookUrl = runbookUrl;
            return this;
        }

        /** The routes, for {@link BeaconEndpoints.Builder#routes(List)}. */
        public List<Route> build() {
            return new ConsoleRoutes(this).routes();
        }
    }
}
