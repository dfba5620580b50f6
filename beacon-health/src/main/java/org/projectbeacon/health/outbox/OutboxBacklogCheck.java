package org.projectbeacon.health.outbox;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.projectbeacon.health.HealthResult;
import org.projectbeacon.health.HealthStatus;
import org.projectbeacon.health.spi.HealthCheck;
import org.projectbeacon.outbox.OutboxMonitor;
import org.projectbeacon.outbox.OutboxSnapshot;
import org.projectbeacon.outbox.StuckJobReport;

/**
 * Reports the outbox backlog from the stuck-job detector ("Jobs Stuck in Queue"): UP while the
 * backlog moves, DEGRADED when {@link OutboxMonitor#stuckJobs()} says stuck, with an error such as
 * {@code 42 messages unpublished for more than 5m, oldest 7m12s}.
 *
 * <p>Details: {@code unpublished_count}, {@code oldest_unpublished_age_seconds},
 * {@code dead_letter_count}, {@code stuck_count} (messages older than the threshold age),
 * {@code stuck_threshold_messages}, {@code stuck_threshold_age_seconds} and {@code figures_at};
 * the counts are null before the monitor's first refresh.
 *
 * <p>Reads only the figures the monitor already holds, so a health probe never queries the
 * database; the monitor's own background refresh keeps them current. When that refresh is failing
 * the figures are stale and the detector blind, so the check is DEGRADED naming the error class (not
 * its message, which may carry connection details). A stuck backlog is DEGRADED rather than DOWN:
 * the service still serves while messages wait, and a DOWN would eject every pod at once. Thread-safe.
 */
public final class OutboxBacklogCheck implements HealthCheck {

    private final OutboxMonitor monitor;

    private OutboxBacklogCheck(OutboxMonitor monitor) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
    }

    /**
     * A check reading {@code monitor}, which the caller starts (or refreshes) and closes.
     *
     * @throws NullPointerException when {@code monitor} is null
     */
    public static OutboxBacklogCheck of(OutboxMonitor monitor) {
        return new OutboxBacklogCheck(monitor);
    }

    /** Completes at once with the verdict on the monitor's latest figures; never blocks or throws. */
    @Override
    public CompletionStage<HealthResult> check() {
        return CompletableFuture.completedFuture(evaluate());
    }

    private HealthResult evaluate() {
        StuckJobReport report = monitor.stuckJobs();
        Optional<OutboxSnapshot> snapshot = monitor.latest();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("unpublished_count", snapshot.map(OutboxSnapshot::unpublished).orElse(null));
        details.put("oldest_unpublished_age_seconds", snapshot.map(s -> s.oldestAge().toSeconds()).orElse(null));
        details.put("dead_letter_count", snapshot.map(OutboxSnapshot::deadLetters).orElse(null));
        details.put("stuck_count", snapshot.map(s -> report.olderThanMaxAge()).orElse(null));
        details.put("stuck_threshold_messages", report.maxMessages());
        details.put("stuck_threshold_age_seconds", report.maxAge().toSeconds());
        details.put("figures_at", snapshot.map(s -> s.takenAt().toString()).orElse(null));

        if (report.stuck()) {
            String error = report.olderThanMaxAge() + " messages unpublished for more than " + human(report.maxAge())
                    + ", oldest " + human(report.oldestAge());
            return new HealthResult(HealthStatus.DEGRADED, error, details, null);
        }
        Optional<Exception> refreshError = monitor.lastRefreshError();
        if (refreshError.isPresent()) {
            String error = "outbox figures are stale: the monitor's refresh fails with "
                    + refreshError.get().getClass().getSimpleName();
            return new HealthResult(HealthStatus.DEGRADED, error, details, null);
        }
        return HealthResult.up(details);
    }

    /** {@code 7m12s}, {@code 1h0m5s}, {@code 45s}: short enough for an alert line. */
    static String human(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        if (hours > 0) {
            return hours + "h" + minutes + "m" + rest + "s";
        }
        if (minutes > 0) {
            return rest == 0 ? minutes + "m" : minutes + "m" + rest + "s";
        }
        return rest + "s";
    }
}
