package org.projectbeacon.health.checks;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.projectbeacon.health.HealthResult;
import org.projectbeacon.health.HealthStatus;
import org.projectbeacon.health.spi.HealthCheck;
import org.projectbeacon.resilience.BreakerAdmin;
import org.projectbeacon.resilience.BreakerSnapshot;
import org.projectbeacon.resilience.Guard;
import org.projectbeacon.resilience.RegionFallback;

/**
 * Reports a dependency by its circuit breakers, so an open breaker is visible in
 * {@code /health/ready} with its {@code circuit_breaker_stats}.
 *
 * <p>For one guard: OPEN or FORCED_OPEN is DOWN, HALF_OPEN is DEGRADED, anything else UP. For a
 * region fallback: DOWN only when no region's breaker admits calls; DEGRADED, naming the region in
 * use, while some region's breaker is not closed; otherwise UP. Whether DOWN takes the whole service
 * down is the check's {@code critical} option, so a dependency with a fallback or of minor
 * importance does not eject every pod. Reads state only; thread-safe.
 */
public final class BreakerHealthCheck implements HealthCheck {

    private final BreakerAdmin admin;
    private final Guard guard;
    private final RegionFallback fallback;

    private BreakerHealthCheck(BreakerAdmin admin, Guard guard, RegionFallback fallback) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.guard = guard;
        this.fallback = fallback;
    }

    /** A check of one guard's breaker. */
    public static BreakerHealthCheck of(Guard guard, BreakerAdmin admin) {
        return new BreakerHealthCheck(admin, Objects.requireNonNull(guard, "guard"), null);
    }

    /** A check of a region fallback's breakers. */
    public static BreakerHealthCheck of(RegionFallback fallback, BreakerAdmin admin) {
        return new BreakerHealthCheck(admin, null, Objects.requireNonNull(fallback, "fallback"));
    }

    @Override
    public CompletionStage<HealthResult> check() {
        return CompletableFuture.completedFuture(guard != null ? checkGuard() : checkFallback());
    }

    private HealthResult checkGuard() {
        BreakerSnapshot snapshot = admin.snapshot(guard.name());
        HealthStatus status = switch (snapshot.state()) {
            case OPEN, FORCED_OPEN -> HealthStatus.DOWN;
            case HALF_OPEN -> HealthStatus.DEGRADED;
            default -> HealthStatus.UP;
        };
        String error = status == HealthStatus.UP ? null : "circuit breaker " + snapshot.state();
        return new HealthResult(status, error, Map.of("state", snapshot.state().name()), snapshot);
    }

    private HealthResult checkFallback() {
        Map<String, Object> regions = new LinkedHashMap<>();
        BreakerSnapshot shown = null;
        for (String region : fallback.regions()) {
            BreakerSnapshot snapshot = admin.snapshot(fallback.guard(region).name());
            regions.put(region, snapshot.state().name());
            if (shown == null && snapshot.state() != State.CLOSED) {
                shown = snapshot; // the first breaker in trouble is what on-call needs to see
            }
        }
        Optional<String> inUse = fallback.activeRegion();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("region_in_use", inUse.orElse(null));
        details.put("regions", regions);
        if (shown == null) {
            shown = admin.snapshot(fallback.guard(inUse.orElse(fallback.regions().get(0))).name());
            return new HealthResult(HealthStatus.UP, null, details, shown);
        }
        if (inUse.isEmpty()) {
            return new HealthResult(HealthStatus.DOWN, "no region of " + fallback.dependency() + " admits calls",
                    details, shown);
        }
        return new HealthResult(HealthStatus.DEGRADED, "circuit breaker " + shown.name() + " " + shown.state()
                + "; using region " + inUse.get(), details, shown);
    }
}
