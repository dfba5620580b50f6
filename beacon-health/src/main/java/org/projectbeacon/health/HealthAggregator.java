package org.projectbeacon.health;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.projectbeacon.health.internal.ScheduledHealthAggregator;
import org.projectbeacon.health.spi.HealthCheck;
import org.projectbeacon.resilience.Names;

/**
 * Runs health checks in the background, in parallel, each under its own timeout and with flap
 * damping, and serves the latest results at once.
 *
 * <p>{@link #report()} never runs a check and never waits: an HTTP probe costs a read of the latest
 * snapshot, however slow or hung a dependency is. A run that outlives its timeout is DOWN with a
 * timeout error and does not delay other checks; while it is still hanging, the check is not
 * started again, so a hung dependency holds at most one thread.
 *
 * <p>Thread-safe. {@link #close()} stops the runs and shuts down executors the aggregator created.
 */
public interface HealthAggregator extends AutoCloseable {

    /** A builder with the system clock and executors of the aggregator's own. */
    static Builder builder() {
        return new Builder();
    }

    /** Starts the background runs; each check runs once at once, then at its interval. Idempotent. */
    HealthAggregator start();

    /** The latest report; never blocks. */
    HealthReport report();

    /**
     * Runs every check now and returns the report once each has finished or timed out; for start-up
     * and tests. Flap damping applies as for background runs.
     */
    HealthReport refreshNow();

    /** The clock the aggregator reads. */
    Clock clock();

    /** Stops the background runs. */
    @Override
    void close();

    /** A check with its name and options, as registered. */
    record Registration(String name, HealthCheck check, CheckOptions options) {
        /** Validates the fields; the name must be a valid guard-style name. */
        public Registration {
            Names.requireName("name", name);
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(options, "options");
        }
    }

    /** Builds a {@link HealthAggregator}; not thread-safe. */
    final class Builder {
        private final List<Registration> checks = new ArrayList<>();
        private final Set<String> names = new LinkedHashSet<>();
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;
        private ExecutorService executor;

        private Builder() {}

        /** Adds a check with the default options. */
        public Builder check(String name, HealthCheck check) {
            return check(name, check, CheckOptions.defaults());
        }

        /**
         * Adds a check.
         *
         * @throws IllegalArgumentException for a bad or duplicate name, naming it
         */
        public Builder check(String name, HealthCheck check, CheckOptions options) {
            Registration registration = new Registration(name, check, options);
            if (!names.add(name)) {
                throw new IllegalArgumentException("name must be unique but '" + name + "' is registered twice");
            }
            checks.add(registration);
            return this;
        }

        /** The clock for result times and flap damping; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The scheduler of runs and timeouts; default one daemon thread of the aggregator's own. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The executor checks run on; default a cached pool of daemon threads of the aggregator's own. */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Builds the aggregator; call {@link HealthAggregator#start()} to begin background runs. */
        public HealthAggregator build() {
            return new ScheduledHealthAggregator(List.copyOf(checks), clock, scheduler, executor);
        }
    }
}
