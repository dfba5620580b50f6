package org.projectbeacon.outbox.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A body run every interval on an injected scheduler, first at once: the background refresh of the
 * outbox monitor and the ledger metrics and the reconciler's passes. A failing run is handed to the
 * failure handler and the schedule goes on (an exception escaping a scheduled task would cancel it
 * silently). {@link #close()} cancels the schedule; the scheduler stays the caller's.
 *
 * <p>{@link #start()} and {@link #close()} are thread-safe; the body runs on the scheduler's threads.
 */
public final class PeriodicTask implements AutoCloseable {

    /** One run of the task. */
    @FunctionalInterface
    public interface Body {
        /** Runs once; an exception is handed to the failure handler. */
        void run() throws Exception;
    }

    private final String name;
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final Body body;
    private final Consumer<Exception> onFailure;
    private ScheduledFuture<?> task;

    /**
     * A task not started yet.
     *
     * @param name what runs, for error messages ("the outbox monitor")
     * @param scheduler the scheduler, or {@code null} when the owner was built without one ({@link #start()}
     *     then fails naming it)
     * @param interval the delay between the end of one run and the start of the next, positive
     * @param body the run
     * @param onFailure what to do with a run's exception (log it, keep it)
     */
    public PeriodicTask(String name, ScheduledExecutorService scheduler, Duration interval, Body body,
            Consumer<Exception> onFailure) {
        this.name = Objects.requireNonNull(name, "name");
        this.scheduler = scheduler;
        this.interval = Objects.requireNonNull(interval, "interval");
        this.body = Objects.requireNonNull(body, "body");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    /**
     * Schedules the body every interval, first at once.
     *
     * @throws IllegalStateException when started already or without a scheduler
     */
    public synchronized void start() {
        if (scheduler == null) {
            throw new IllegalStateException("scheduler must be set to start " + name + " but was null");
        }
        if (task != null) {
            throw new IllegalStateException(name + " is already started");
        }
        task = scheduler.scheduleWithFixedDelay(this::runOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        try {
            body.run();
        } catch (Exception e) {
            onFailure.accept(e);
        }
    }

    /** Cancels the schedule; a run under way finishes. Idempotent. */
    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }
}
