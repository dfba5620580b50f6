package org.projectbeacon.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeriodicTaskTest {

    /** Keeps the scheduled command to run it by hand; the real schedule is a day away. */
    static final class CapturingScheduler extends ScheduledThreadPoolExecutor {
        Runnable command;
        long initialDelay;
        long delay;
        ScheduledFuture<?> future;

        CapturingScheduler() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
            this.command = command;
            this.initialDelay = initialDelay;
            this.delay = unit.toMillis(delay);
            future = super.scheduleWithFixedDelay(command, 1, 1, TimeUnit.DAYS);
            return future;
        }
    }

    private final CapturingScheduler scheduler = new CapturingScheduler();

    @AfterEach
    void shutDown() {
        scheduler.shutdownNow();
    }

    @Test
    void runsAtOnceThenEveryIntervalAndAFailingRunKeepsTheSchedule() {
        List<Exception> failures = new ArrayList<>();
        int[] runs = {0};
        PeriodicTask task = new PeriodicTask("the test's refreshes", scheduler, Duration.ofSeconds(5), () -> {
            if (++runs[0] == 1) {
                throw new SQLException("database down");
            }
        }, failures::add);

        task.start();
        assertThat(scheduler.initialDelay).isZero();
        assertThat(scheduler.delay).isEqualTo(5_000);
        scheduler.command.run();
        scheduler.command.run();
        assertThat(runs[0]).isEqualTo(2);
        assertThat(failures).singleElement().satisfies(e -> assertThat(e).hasMessage("database down"));
    }

    @Test
    void startsOnceNeedsASchedulerAndCloseCancels() {
        PeriodicTask task = new PeriodicTask("the test's refreshes", scheduler, Duration.ofSeconds(1), () -> { }, e -> { });
        task.start();
        assertThatThrownBy(task::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("the test's refreshes is already started");
        task.close();
        assertThat(scheduler.future.isCancelled()).isTrue();
        task.close(); // idempotent

        PeriodicTask unscheduled = new PeriodicTask("the test's refreshes", null, Duration.ofSeconds(1), () -> { }, e -> { });
        assertThatThrownBy(unscheduled::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("scheduler must be set to start the test's refreshes but was null");
    }
}
