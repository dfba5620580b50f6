package org.projectbeacon.benchmarks;

import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.projectbeacon.health.HealthAggregator;
import org.projectbeacon.health.HealthReport;
import org.projectbeacon.health.http.BeaconEndpoints;
import org.projectbeacon.health.http.HttpRequest;
import org.projectbeacon.health.http.HttpResponse;
import org.projectbeacon.health.internal.HealthJson;

/**
 * The health snapshot's render and the {@code /health/ready} handler without the HTTP server, so a
 * regression in either shows apart from the JDK server's cost (issue #15, goal 5). The report is
 * the one of {@link HealthEndpointBenchmark}: three checks up, one timed out.
 *
 * <ul>
 *   <li>{@code renderReport}: {@link HealthJson#report} and Jackson to bytes, what a new snapshot
 *       costs once;
 *   <li>{@code readyHandler}: {@link BeaconEndpoints#handle} of {@code GET /health/ready} with the
 *       snapshot already rendered, what every probe costs above the server (route match, headers,
 *       the request timer).
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar HealthRenderBenchmark -prof gc
 * </pre>
 */
public class HealthRenderBenchmark extends JmhDefaults {

    private HealthAggregator health;
    private HealthReport report;
    private BeaconEndpoints endpoints;
    private final HttpRequest ready = HttpRequest.of("GET", "/health/ready");

    @Setup
    public void setUp() {
        health = HealthEndpointBenchmark.aggregator(Duration.ofMillis(200));
        // No start(): the snapshot stays as this refresh left it, so readyHandler never re-renders.
        report = health.refreshNow();
        endpoints = BeaconEndpoints.builder().health(health).build();
    }

    @TearDown
    public void tearDown() {
        health.close();
    }

    /** One render of the snapshot to the bytes {@code /health/ready} sends. */
    @Benchmark
    public byte[] renderReport() throws Exception {
        return HealthJson.MAPPER.writeValueAsBytes(HealthJson.report(report));
    }

    /** One {@code GET /health/ready} through the endpoints, the snapshot already rendered. */
    @Benchmark
    public HttpResponse readyHandler() {
        return endpoints.handle(ready);
    }
}
