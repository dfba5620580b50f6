package org.projectbeacon.example.boot;

import java.time.Duration;
import java.util.Objects;
import org.projectbeacon.example.http.JobRoutes;
import org.projectbeacon.outbox.redis.StreamConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The first thing a graceful shutdown stops, as in the plain runner's stop: {@code POST /api/v1/jobs}
 * answers 503 with {@code Retry-After} from then on, and the stream consumer (when there is one) lets
 * the jobs in hand finish within its grace, while the web server still answers (so clients read 503s
 * and job states, not refused connections). What does not finish stays pending in the stream, under
 * its ledger lease, for the next runner. Then Boot's later phases drain the web server's requests,
 * and the publisher stops after them (the starter's phases), so a job accepted by a request in flight
 * is in the outbox and published now or at the next start: a {@code SIGTERM} loses no accepted job.
 *
 * <p>Thread-safe: Spring calls start and stop from one thread at a time; the flag is volatile for
 * {@link #isRunning()} readers.
 */
public final class JobIntake implements SmartLifecycle {

    /** Stops first: above the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE;

    private static final Logger LOG = LoggerFactory.getLogger(JobIntake.class);

    private final JobRoutes jobs;
    private final StreamConsumer consumer;
    private final Duration grace;
    private volatile boolean running;

    /**
     * An intake of {@code jobs}.
     *
     * @param jobs the job routes whose intake stops
     * @param consumer the stream consumer to stop after the intake, or {@code null} without Redis
     * @param grace how long the jobs in hand may take to finish
     */
    public JobIntake(JobRoutes jobs, StreamConsumer consumer, Duration grace) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.consumer = consumer;
        this.grace = Objects.requireNonNull(grace, "grace");
    }

    @Override
    public void start() {
        running = true;
    }

    /** Refuses new jobs, then waits up to the grace for the consumer's jobs in hand. */
    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        jobs.stopAccepting();
        LOG.info("stopping: new jobs are refused with 503");
        if (consumer != null && !consumer.stop(grace)) {
            LOG.warn("jobs still running after {}: their messages stay pending for another runner", grace);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
