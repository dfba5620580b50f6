package org.projectbeacon.example.providers;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import org.projectbeacon.example.faults.Faults;
import org.projectbeacon.resilience.metrics.JobOutcome;
import org.projectbeacon.resilience.metrics.RunnerMetrics;

/**
 * A provider market simulated in-process: every region answers with a few offers unless a
 * {@code provider} fault makes its probe fail or slow. Counts offers and probes in the runner metrics.
 * Thread-safe.
 */
public final class SimulatedMarket implements ProviderMarket {

    private final Faults faults;
    private final RunnerMetrics metrics;

    /** A market obeying {@code faults} and counting into {@code metrics}. */
    public SimulatedMarket(Faults faults, RunnerMetrics metrics) {
        this.faults = faults;
        this.metrics = metrics;
    }

    @Override
    public Offer negotiate(String region, String jobType) throws IOException {
        long latency = faults.latencyMs("provider", region);
        if (latency > 0) {
            try {
                Thread.sleep(latency); // the simulated network delay of a slow market
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while negotiating in " + region);
            }
        }
        if (faults.shouldFail("provider", region)) {
            metrics.negotiationProbe(region, JobOutcome.FAILURE);
            throw new IOException("no provider in " + region + " accepted the probe");
        }
        int offers = 1 + ThreadLocalRandom.current().nextInt(5);
        metrics.offersSeen(region, offers);
        metrics.negotiationProbe(region, JobOutcome.SUCCESS);
        return new Offer(region, region + "-provider-" + ThreadLocalRandom.current().nextInt(100), offers);
    }
}
