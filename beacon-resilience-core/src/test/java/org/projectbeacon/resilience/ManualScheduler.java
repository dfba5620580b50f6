package org.projectbeacon.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose tasks run only when the test moves its {@link MutableClock} forward with
 * {@link #advance(Duration)}: deterministic timers without sleeping.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final MutableClock clock;
    private final List<Task<?>> tasks = new ArrayList<>();
    private long sequence;

    public ManualScheduler(MutableClock clock) {
        this.clock = clock;
    }

    /** Moves the clock forward and runs every task that falls due, in due order. */
    public void advance(Duration duration) {
        long target = clock.millis() + duration.toMillis();
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = tasks.stream()
                        .filter(t -> !t.isCancelled() && t.dueMillis <= target)
                        .min(Comparator.<Task<?>>comparingLong(t -> t.dueMillis).thenComparingLong(t -> t.order))
                        .orElse(null);
                if (next != null) {
                    tasks.remove(next);
                }
            }
            if (next == null) {
                break;
            }
            if (next.dueMillis > clock.millis()) {
                clock.advance(Duration.ofMillis(next.dueMillis - clock.millis()));
            }
            next.run();
        }
        if (target > clock.millis()) {
            clock.advance(Duration.ofMillis(target - clock.millis()));
        }
    }

    /** Tasks waiting, cancelled ones excluded. */
    public synchronized int pending() {
        return (int) tasks.stream().filter(t -> !t.isCancelled()).count();
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task<Object> task = new Task<>(() -> {
            command.run();
            return null;
        }, clock.millis() + unit.toMillis(delay), sequence++);
        tasks.add(task);
        return task;
    }

    @Override
    public synchronized <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Task<V> task = new Task<>(callable, clock.millis() + unit.toMillis(delay), sequence++);
        tasks.add(task);
        return task;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("not needed by these tests");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("not needed by these tests");
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    private final class Task<V> extends java.util.concurrent.FutureTask<V> implements ScheduledFuture<V> {
        final long dueMillis;
        final long order;

        Task(Callable<V> callable, long dueMillis, long order) {
            super(callable);
            this.dueMillis = dueMillis;
            this.order = order;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueMillis - clock.millis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.MILLISECONDS), other.getDelay(TimeUnit.MILLISECONDS));
        }
    }
}
