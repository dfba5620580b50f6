package org.projectbeacon.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.projectbeacon.health.CheckOptions;
import org.projectbeacon.health.HealthAggregator;
import org.projectbeacon.health.HealthResult;
import org.projectbeacon.health.http.BeaconEndpoints;
import org.projectbeacon.health.http.BeaconHttpServer;

/**
 * The health endpoints under load: starts a {@link BeaconHttpServer} on 127.0.0.1 whose aggregator has
 * three quick checks and one that never answers (its future never completes; the aggregator times it
 * out after 1 s every refresh), prints {@code port=N} and serves until killed. {@code benchmarks/run.sh}
 * then drives it with {@code wrk}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.projectbeacon.benchmarks.HealthEndpointBenchmark
 * </pre>
 */
public final class HealthEndpointBenchmark {

    private HealthEndpointBenchmark() {}

    public static void main(String[] args) throws Exception {
        HealthAggregator health = aggregator(Duration.ofSeconds(1));
        health.start();
        BeaconHttpServer server = BeaconHttpServer.builder(BeaconEndpoints.builder().health(health).build()).port(0).build().start();
        System.out.println("port=" + server.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** Three quick checks and one ({@code golem}, not critical) that never answers and times out after {@code timeout}. */
    static HealthAggregator aggregator(Duration timeout) {
        CheckOptions quick = CheckOptions.builder().timeout(timeout).build();
        return HealthAggregator.builder()
                .check("database", () -> CompletableFuture.completedFuture(HealthResult.up()), quick)
                .check("redis", () -> CompletableFuture.completedFuture(HealthResult.up()), quick)
                .check("ipfs", () -> CompletableFuture.completedFuture(HealthResult.up()), quick)
                .check("golem", CompletableFuture::new, CheckOptions.builder().timeout(timeout).critical(false).build())
                .build();
    }
}
