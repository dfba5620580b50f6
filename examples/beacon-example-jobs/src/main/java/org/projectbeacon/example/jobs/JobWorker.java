package org.projectbeacon.example.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.projectbeacon.example.ipfs.BundleStore;
import org.projectbeacon.example.providers.Offer;
import org.projectbeacon.example.providers.ProviderMarket;
import org.projectbeacon.outbox.Acquisition;
import org.projectbeacon.outbox.DeadLetterQueue;
import org.projectbeacon.outbox.NonRetryableException;
import org.projectbeacon.outbox.LedgerLease;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.ProcessingLedger;
import org.projectbeacon.outbox.redis.StreamHandler;
import org.projectbeacon.resilience.Guard;
import org.projectbeacon.resilience.RegionFallback;
import org.projectbeacon.resilience.metrics.JobOutcome;
import org.projectbeacon.resilience.metrics.RunnerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the job of one delivered message to a final status: negotiate a provider through the region
 * fallback, fetch the bundle through the {@code ipfs} guard, and complete; up to
 * {@link #MAX_ATTEMPTS} attempts with a short backoff, then FAILED and a dead letter.
 *
 * <p><b>Exactly-once effects.</b> Each delivery first takes the message's lease in the
 * {@link ProcessingLedger}. A message already DONE is only acknowledged again; one whose lease is held
 * by a live worker is left pending; one whose worker died (lease expired) is taken over. The job's
 * final status is written in the same transaction that marks the message DONE, fenced by the lease,
 * so a job completes once however often its message is delivered.
 *
 * <p>Thread-safe: any number of deliveries may run at once.
 */
public final class JobWorker {

    /** Attempts per delivery before the job fails for good. */
    public static final int MAX_ATTEMPTS = 3;
    /** Backoff after the first failed attempt; doubles after each. */
    public static final Duration BACKOFF = Duration.ofMillis(250);

    private static final Logger LOG = LoggerFactory.getLogger(JobWorker.class);

    private final JobStore jobs;
    private final ProcessingLedger ledger;
    private final DeadLetterQueue deadLetters;
    private final String stream;
    private final RegionFallback golem;
    private final Guard ipfs;
    private final ProviderMarket market;
    private final BundleStore bundles;
    private final RunnerMetrics metrics;
    private final Clock clock;

    /** A worker over its collaborators; {@code stream} names the stream in dead letters. */
    public JobWorker(JobStore jobs, ProcessingLedger ledger, DeadLetterQueue deadLetters, String stream,
            RegionFallback golem, Guard ipfs, ProviderMarket market, BundleStore bundles, RunnerMetrics metrics,
            Clock clock) {
        this.jobs = jobs;
        this.ledger = ledger;
        this.deadLetters = deadLetters;
        this.stream = stream;
        this.golem = golem;
        this.ipfs = ipfs;
        this.market = market;
        this.bundles = bundles;
        this.metrics = metrics;
        this.clock = clock;
        // The probe success ratio (LowNegotiationSuccessRate) needs every region's series from the start.
        metrics.regions(golem.regions());
    }

    /**
     * The stream consumer's handler: runs the job named by an entry's payload under the entry's
     * message id. An entry whose lease a live worker holds fails its delivery, so it stays pending and
     * is delivered again after the consumer's claim idle time, when that lease has expired.
     *
     * @return the handler; thread-safe like the worker
     */
    public StreamHandler streamHandler() {
        return entry -> {
            UUID messageId = entry.messageId().map(UUID::fromString).orElseThrow(() ->
                    new NonRetryableException("stream entry " + entry.id() + " has no message id"));
            String jobId = entry.payloadText();
            if (execute(messageId, jobId) == Result.LEASED) {
                // Left pending: delivered again after the claim idle time, when the lease has expired.
                throw new IllegalStateException("job " + jobId + " is held by a live worker's lease");
            }
        };
    }

    /** What a delivery came to. */
    public enum Result {
        /** The job completed now. */
        COMPLETED,
        /** The job failed for good now; its dead letter is in the queue. */
        FAILED,
        /** The message was done already (a redelivery), or its job completed through another message. */
        ALREADY_DONE,
        /** Another live worker holds the message's lease: leave the message pending, do not acknowledge. */
        LEASED
    }

    /**
     * Handles one delivery of message {@code messageId} carrying job {@code jobId}.
     *
     * @throws InterruptedException when the runner stops during a backoff; the lease is released and
     *     the message must stay pending (not acknowledged), so another worker runs it
     * @throws Exception when the database cannot be reached; the message must stay pending
     */
    public Result execute(UUID messageId, String jobId) throws Exception {
        Acquisition acquisition = ledger.acquire(messageId);
        if (acquisition.outcome() == Acquisition.Outcome.ALREADY_DONE) {
            return Result.ALREADY_DONE;
        }
        if (acquisition.outcome() == Acquisition.Outcome.LEASED) {
            return Result.LEASED;
        }
        LedgerLease[] lease = {acquisition.lease().orElseThrow()};
        try {
            return run(messageId, jobId, lease, acquisition.takenOver());
        } catch (Exception e) {
            // Not finished: let the next delivery take the lease at once instead of after its expiry.
            try {
                ledger.release(lease[0], e);
            } catch (Exception release) {
                e.addSuppressed(release);
            }
            throw e;
        }
    }

    /** Runs the attempts; {@code lease[0]} is the current lease, replaced when renewed. */
    private Result run(UUID messageId, String jobId, LedgerLease[] lease, boolean takenOver) throws Exception {
        Optional<Job> found = jobs.find(jobId);
        if (found.isEmpty()) {
            IllegalStateException unknown = new IllegalStateException("message carries unknown job id '" + jobId + "'");
            deadLetter(messageId, jobId, 1, unknown);
            jobs.inTransaction(c -> ledger.complete(c, lease[0]));
            return Result.FAILED;
        }
        Job job = found.get();
        if (job.status() == JobStatus.COMPLETED) {
            // Completed through an earlier message (a requeued duplicate dead letter): nothing to run again.
            jobs.inTransaction(c -> ledger.complete(c, lease[0]));
            return Result.ALREADY_DONE;
        }
        String startDetail = takenOver ? "attempt started, taken over from a worker whose lease expired" : "attempt started";
        for (int attempt = 1; ; attempt++) {
            if (!jobs.start(jobId, startDetail)) {
                jobs.inTransaction(c -> ledger.complete(c, lease[0]));
                return Result.ALREADY_DONE;
            }
            Instant started = clock.instant();
            try {
                Offer offer = golem.call(job.region(), region -> market.negotiate(region, job.type()));
                byte[] bundle = ipfs.call(() -> bundles.fetch("bafy" + job.id().replace("-", "").substring(0, 16)));
                String detail = "ran on " + offer.provider() + " in " + offer.region() + " with a " + bundle.length
                        + "-byte bundle";
                LedgerLease held = lease[0];
                boolean done = jobs.inTransaction(c -> {
                    if (!ledger.complete(c, held)) {
                        throw new LeaseLostException(messageId);
                    }
                    return jobs.complete(c, jobId, detail);
                });
                metrics.jobProcessed(JobOutcome.SUCCESS, Duration.between(started, clock.instant()));
                LOG.info("job {} processed in {}", jobId, offer.region());
                return done ? Result.COMPLETED : Result.ALREADY_DONE;
            } catch (LeaseLostException e) {
                LOG.warn("job {}: {}; its new holder finishes it", jobId, e.getMessage());
                return Result.LEASED;
            } catch (java.sql.SQLException e) {
                throw e; // the database, not the job: leave the message pending
            } catch (Exception e) {
                metrics.jobProcessed(JobOutcome.FAILURE, Duration.between(started, clock.instant()));
                String error = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (attempt >= MAX_ATTEMPTS) {
                    // Dead letter first: if the runner dies before the final status commits, the
                    // message is run again and at worst dead-lettered twice, never lost.
                    deadLetter(messageId, jobId, attempt, e);
                    LedgerLease held = lease[0];
                    jobs.inTransaction(c -> {
                        if (ledger.complete(c, held)) {
                            jobs.fail(c, jobId, error);
                        }
                        return null;
                    });
                    LOG.info("job {} failed for good after {} attempts: {}", jobId, attempt, error);
                    return Result.FAILED;
                }
                jobs.retry(jobId, error);
                LOG.info("job {} attempt {} failed, will retry: {}", jobId, attempt, error);
                Thread.sleep(BACKOFF.toMillis() << (attempt - 1));
                Optional<LedgerLease> renewed = ledger.renew(lease[0]);
                if (renewed.isEmpty()) {
                    LOG.warn("job {}: the lease of message {} was taken over during the backoff", jobId, messageId);
                    return Result.LEASED;
                }
                lease[0] = renewed.get();
                startDetail = "attempt " + (attempt + 1) + " started";
            }
        }
    }

    private void deadLetter(UUID messageId, String jobId, int attempts, Exception error) throws Exception {
        deadLetters.add(new OutboxRecord(messageId, stream, null, jobId.getBytes(StandardCharsets.UTF_8), "text/plain",
                Map.of(), clock.instant(), attempts), attempts, error);
    }

    /** The ledger refused the DONE mark: the lease expired and another worker took the message over. */
    private static final class LeaseLostException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LeaseLostException(UUID messageId) {
            super("lease of message " + messageId + " was taken over before the job's result was written");
        }
    }
}
