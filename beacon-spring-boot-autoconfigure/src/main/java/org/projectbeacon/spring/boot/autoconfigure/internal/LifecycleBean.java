package org.projectbeacon.spring.boot.autoconfigure.internal;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs a Beacon component's start and stop in Spring's lifecycle: started after every singleton
 * exists, stopped in Boot's shutdown phase (higher phases stop first, so a component with a lower
 * phase outlives the web server's graceful shutdown). Thread-safe.
 */
public final class LifecycleBean implements SmartLifecycle {

    /** Components that need nothing else running. */
    public static final int DEFAULT_PHASE = SmartLifecycle.DEFAULT_PHASE;
    /**
     * Below the web server's phases (its graceful shutdown runs at {@code DEFAULT_PHASE - 1024}, its
     * stop at {@code DEFAULT_PHASE - 2048}): the publisher and consumer keep running while in-flight
     * requests finish enqueueing, and stop after them.
     */
    public static final int AFTER_WEB_SERVER_PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleBean.class);

    private final String name;
    private final int phase;
    private final Runnable start;
    private final Runnable stop;
    private volatile boolean running;

    /**
     * A lifecycle for one component.
     *
     * @param name what it runs, for the log
     * @param phase its phase
     * @param start starts it
     * @param stop stops it; must return within Boot's shutdown timeout
     */
    public LifecycleBean(String name, int phase, Runnable start, Runnable stop) {
        this.name = Objects.requireNonNull(name, "name");
        this.phase = phase;
        this.start = Objects.requireNonNull(start, "start");
        this.stop = Objects.requireNonNull(stop, "stop");
    }

    @Override
    public synchronized void start() {
        if (!running) {
            start.run();
            running = true;
            LOG.debug("started {}", name);
        }
    }

    @Override
    public synchronized void stop() {
        if (running) {
            running = false;
            stop.run();
            LOG.info("stopped {}", name);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return phase;
    }
}
