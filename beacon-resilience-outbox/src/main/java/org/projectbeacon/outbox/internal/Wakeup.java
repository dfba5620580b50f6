package org.projectbeacon.outbox.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets idle workers sleep until new rows are announced or the poll interval passes. A signal given
 * while no worker waits is remembered once, so a commit between a worker's empty claim and its wait
 * is not lost. Thread-safe.
 */
final class Wakeup {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean pending;

    void signal() {
        lock.lock();
        try {
            pending = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeout} for a signal; returns early, clearing it, when one is pending. */
    void await(Duration timeout) {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (!pending && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            pending = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeout} ignoring pending signals except {@link #signal()} calls made during the wait. */
    void pause(Duration timeout) {
        lock.lock();
        try {
            pending = false;
            changed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            pending = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
