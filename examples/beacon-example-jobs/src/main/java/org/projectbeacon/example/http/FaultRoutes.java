package org.projectbeacon.example.http;

import java.util.List;
import java.util.Map;
import org.projectbeacon.example.faults.Fault;
import org.projectbeacon.example.faults.Faults;
import org.projectbeacon.health.http.BeaconEndpoints;
import org.projectbeacon.health.http.HttpRequest;
import org.projectbeacon.health.http.HttpResponse;
import org.projectbeacon.health.http.RequestFilter;
import org.projectbeacon.health.http.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runbook drills' fault injection, behind the admin token: {@code POST /api/v1/admin/faults}
 * adds one, {@code GET} lists them, {@code DELETE} clears them all.
 */
public final class FaultRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(FaultRoutes.class);

    /** The route a paused publisher refuses while its drill fault holds. */
    static final String PUBLISHER_RESTART = "/api/v1/admin/outbox/publisher/restart";

    private final Faults faults;
    private final Runnable onChange;

    /** Routes over {@code faults}; {@code onChange} runs after every change (to pause the publisher, say). */
    public FaultRoutes(Faults faults, Runnable onChange) {
        this.faults = faults;
        this.onChange = onChange;
    }

    /**
     * The filter that makes the {@code api} and {@code metrics} faults felt: job API requests wait
     * for the injected latency (the HighHTTPLatency drill), and {@code /metrics} answers 503 while its
     * fault is down, so the scrape fails and {@code up} is 0 (the RunnerDown drill).
     */
    public RequestFilter filter() {
        return (route, request) -> {
            if (route.template().equals("/metrics") && faults.isOff("metrics")) {
                return HttpResponse.error(503, "metrics unavailable (drill fault: metrics down)");
            }
            if (route.template().equals(PUBLISHER_RESTART) && faults.isOff("publisher")) {
                // A restart must not silently undo a drill's pause: say what holds it and how to lift it.
                return HttpResponse.error(409, "the publisher is paused by the drill fault 'publisher';"
                        + " DELETE /api/v1/admin/faults lifts it (and resumes the publisher)");
            }
            if (route.template().startsWith("/api/v1/jobs")) {
                long latency = faults.latencyMs("api", null);
                if (latency > 0) {
                    Thread.sleep(latency); // the drill's slow API, timed like any request
                }
            }
            return null;
        };
    }

    /** The three routes. */
    public List<Route> routes() {
        String path = "/api/v1/admin/faults";
        return List.of(
                Route.admin("GET", path, request -> list()),
                Route.admin("POST", path, this::inject),
                Route.admin("DELETE", path, request -> {
                    LOG.info("drill faults cleared by {}: {}", BeaconEndpoints.actor(request), describe());
                    faults.clear();
                    onChange.run();
                    return list();
                }));
    }

    private HttpResponse inject(HttpRequest request) throws Exception {
        Fault fault = Fault.fromJson(request.bodyAsJson());
        faults.inject(fault);
        LOG.info("drill fault injected by {}: {}", BeaconEndpoints.actor(request), fault.toJson());
        onChange.run();
        return BeaconEndpoints.json(201, fault.toJson());
    }

    private String describe() {
        return faults.active().stream().map(f -> f.toJson().toString()).toList().toString();
    }

    private HttpResponse list() {
        return BeaconEndpoints.json(200, Map.of("faults", faults.active().stream().map(Fault::toJson).toList()));
    }
}
