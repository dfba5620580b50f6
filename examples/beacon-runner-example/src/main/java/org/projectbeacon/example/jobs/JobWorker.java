package org.projectbeacon.example.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.projectbeacon.example.ipfs.BundleStore;
import org.projectbeacon.example.providers.Offer;
import org.projectbeacon.example.providers.ProviderMarket;
import org.projectbeacon.resilience.Guard;
import org.projectbeacon.resilience.RegionFallback;
import org.projectbeacon.resilience.metrics.JobOutcome;
import org.projectbeacon.resilience.metrics.RunnerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one job: negotiate a provider through the region fallback, fetch the bundle through the
 * {@code ipfs} guard, then complete; counts the outcome in {@code jobs_processed_total}.
 *
 * <p>A job whose row is not QUEUED or RETRY (already done, or running elsewhere) is skipped, so a
 * message delivered twice is executed once. Thread-safe.
 */
public final class JobWorker {

    private static final Logger LOG = LoggerFactory.getLogger(JobWorker.class);

    private final JobStore jobs;
    private final RegionFallback golem;
    private final Guard ipfs;
    private final ProviderMarket market;
    private final BundleStore bundles;
    private final RunnerMetrics metrics;
    private final Clock clock;

    /** A worker over its collaborators. */
    public JobWorker(JobStore jobs, RegionFallback golem, Guard ipfs, ProviderMarket market, BundleStore bundles,
            RunnerMetrics metrics, Clock clock) {
        this.jobs = jobs;
        this.golem = golem;
        this.ipfs = ipfs;
        this.market = market;
        this.bundles = bundles;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** What one attempt came to, with the failure when it failed. */
    public record Outcome(Result result, Exception error) {}

    /** What one attempt came to. */
    public enum Result {
        /** Completed. */
        COMPLETED,
        /** Failed; another attempt may follow. */
        RETRY,
        /** Failed for good. */
        FAILED,
        /** Not executed: done already or running elsewhere. */
        SKIPPED
    }

    /**
     * Runs one attempt of job {@code id}; {@code finalAttempt} says whether a failure is final.
     *
     * @throws Exception only when the job table cannot be reached
     */
    public Outcome execute(String id, boolean finalAttempt) throws Exception {
        if (!jobs.claim(id)) {
            return new Outcome(Result.SKIPPED, null);
        }
        Instant started = clock.instant();
        Job job = jobs.find(id).orElseThrow();
        try {
            Offer offer = golem.call(job.region(), region -> market.negotiate(region, job.type()));
            byte[] bundle = ipfs.call(() -> bundles.fetch("bafy" + job.id().replace("-", "").substring(0, 16)));
            jobs.complete(id, "ran on " + offer.provider() + " in " + offer.region() + " with a " + bundle.length + "-byte bundle");
            metrics.jobProcessed(JobOutcome.SUCCESS, Duration.between(started, clock.instant()));
            LOG.debug("job {} processed in {}", id, offer.region());
            return new Outcome(Result.COMPLETED, null);
        } catch (Exception e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            jobs.fail(id, error, finalAttempt);
            metrics.jobProcessed(JobOutcome.FAILURE, Duration.between(started, clock.instant()));
            LOG.info("job {} failed{}: {}", id, finalAttempt ? " for good" : ", will retry", error);
            return new Outcome(finalAttempt ? Result.FAILED : Result.RETRY, e);
        }
    }
}
