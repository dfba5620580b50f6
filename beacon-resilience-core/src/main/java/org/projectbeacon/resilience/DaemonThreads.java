package org.projectbeacon.resilience;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread factory naming threads {@code <prefix>-<n>} and marking them daemon, so that an embedded
 * library never holds its host's JVM open. Every executor Beacon creates for itself uses one.
 * Thread-safe.
 */
public final class DaemonThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger counter = new AtomicInteger();

    /** A factory of threads named {@code <prefix>-1}, {@code <prefix>-2}, ... */
    public DaemonThreads(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("prefix must not be blank but was '" + prefix + "'");
        }
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable runnable) {
        Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
