package org.projectbeacon.example.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.projectbeacon.outbox.InProcessSink;
import org.projectbeacon.outbox.OutboxRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the jobs of the in-process stream (the embedded default, with no Redis) on a scheduler of
 * workers: every message published to the stream becomes a {@link JobWorker#execute} on a worker
 * thread, through the same processing ledger as a Redis delivery. A delivery that could not finish
 * (the database unreachable, the lease held elsewhere) is tried again {@link #RETRY_DELAY} later, as
 * a stream would redeliver it.
 *
 * <p>Thread-safe. {@link #start} subscribes; {@link #close} shuts the workers down.
 */
public final class EmbeddedJobs implements AutoCloseable {

    /** How long a delivery that could not finish waits before it is tried again. */
    public static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    /** How often the in-process stream forgets what it delivered (the subscriber has it already). */
    public static final Duration DRAIN_INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedJobs.class);

    private final JobWorker worker;
    private final ScheduledExecutorService workers;

    /**
     * Jobs run by {@code worker} on {@code workers}, which this object shuts down on {@link #close}.
     *
     * @param worker the worker
     * @param workers the worker threads
     */
    public EmbeddedJobs(JobWorker worker, ScheduledExecutorService workers) {
        this.worker = worker;
        this.workers = workers;
    }

    /**
     * Subscribes to {@code stream} of {@code sink}.
     *
     * @param sink the in-process stream
     * @param stream the stream the jobs are published to
     */
    public void start(InProcessSink sink, String stream) {
        sink.subscribe(stream, this::run);
        long drain = DRAIN_INTERVAL.toMillis();
        workers.scheduleWithFixedDelay(() -> sink.drain(stream), drain, drain, TimeUnit.MILLISECONDS);
    }

    private void run(OutboxRecord record) {
        workers.execute(() -> {
            try {
                if (worker.execute(record.id(), new String(record.payload(), StandardCharsets.UTF_8))
                        != JobWorker.Result.LEASED) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // stopping
            } catch (Exception e) {
                LOG.warn("job {} could not be run, trying again: {}", record.id(), e.toString());
            }
            if (!workers.isShutdown()) {
                workers.schedule(() -> run(record), RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Stops the workers; jobs in hand are interrupted and their messages stay in the ledger. */
    @Override
    public void close() {
        workers.shutdownNow();
    }
}
