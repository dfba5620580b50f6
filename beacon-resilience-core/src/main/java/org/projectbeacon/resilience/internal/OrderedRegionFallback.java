package org.projectbeacon.resilience.internal;

import static org.projectbeacon.resilience.metrics.CoreMetricCatalog.REGION_FALLBACKS;
import static org.projectbeacon.resilience.metrics.CoreMetricCatalog.TAG_DEPENDENCY;
import static org.projectbeacon.resilience.metrics.CoreMetricCatalog.TAG_FROM;
import static org.projectbeacon.resilience.metrics.CoreMetricCatalog.TAG_TO;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.projectbeacon.resilience.AllRegionsFailedException;
import org.projectbeacon.resilience.Guard;
import org.projectbeacon.resilience.RegionCall;
import org.projectbeacon.resilience.RegionFailure;
import org.projectbeacon.resilience.RegionFallback;
import org.projectbeacon.resilience.RegionFallbackConfig;

/** Tries the regions in order, each through its own guard; see {@link RegionFallback}. */
final class OrderedRegionFallback implements RegionFallback {

    private final RegionFallbackConfig config;
    private final Map<String, Guard> guards;
    private final MeterRegistry meters;
    private final Map<String, Counter> fallbackCounters = new ConcurrentHashMap<>();
    private volatile String lastUsedRegion;

    OrderedRegionFallback(RegionFallbackConfig config, Map<String, Guard> guards, MeterRegistry meters) {
        this.config = config;
        this.guards = new LinkedHashMap<>(guards);
        this.meters = meters;
        // Every from/to pair at 0 from the start: an alert or a rate() over
        // beacon_region_fallbacks_total then sees the first fallback instead of a series appearing at 1.
        for (String preferred : config.regions()) {
            for (String region : config.regions()) {
                if (!preferred.equals(region)) {
                    fallbackCounter(preferred, region);
                }
            }
        }
    }

    RegionFallbackConfig config() {
        return config;
    }

    @Override
    public String dependency() {
        return config.dependency();
    }

    @Override
    public List<String> regions() {
        return config.regions();
    }

    @Override
    public Guard guard(String region) {
        Guard guard = guards.get(region);
        if (guard == null) {
            throw new IllegalArgumentException("region must be one of " + regions() + " but was '" + region + "'");
        }
        return guard;
    }

    @Override
    public <T> T call(RegionCall<T> call) {
        return call(null, call);
    }

    @Override
    public <T> T call(String preferredRegion, RegionCall<T> call) {
        List<String> order = order(preferredRegion);
        List<RegionFailure> failures = new ArrayList<>(order.size());
        for (String region : order) {
            try {
                T result = guards.get(region).call(() -> call.call(region));
                succeeded(order.get(0), region);
                return result;
            } catch (CallNotPermittedException e) {
                failures.add(new RegionFailure(region, true, e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(new RegionFailure(region, false, e));
                break;
            } catch (Exception e) {
                failures.add(new RegionFailure(region, false, e));
                if (!config.fallbackOn().test(e)) {
                    break;
                }
            }
        }
        throw new AllRegionsFailedException(dependency(), failures);
    }

    @Override
    public <T> CompletionStage<T> callAsync(Function<String, ? extends CompletionStage<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        List<String> order = order(null);
        attempt(order, 0, call, new ArrayList<>(order.size()), result);
        return result;
    }

    private <T> void attempt(
            List<String> order,
            int index,
            Function<String, ? extends CompletionStage<T>> call,
            List<RegionFailure> failures,
            CompletableFuture<T> result) {
        if (index == order.size()) {
            result.completeExceptionally(new AllRegionsFailedException(dependency(), failures));
            return;
        }
        String region = order.get(index);
        guards.get(region).<T>callAsync(() -> call.apply(region)).whenComplete((value, failure) -> {
            if (failure == null) {
                succeeded(order.get(0), region);
                result.complete(value);
                return;
            }
            Throwable cause = Throwables.unwrap(failure);
            boolean skipped = cause instanceof CallNotPermittedException;
            failures.add(new RegionFailure(region, skipped, cause));
            if (skipped || config.fallbackOn().test(cause)) {
                attempt(order, index + 1, call, failures, result);
            } else {
                result.completeExceptionally(new AllRegionsFailedException(dependency(), failures));
            }
        });
    }

    private List<String> order(String preferredRegion) {
        if (preferredRegion == null || preferredRegion.equals(regions().get(0))) {
            return regions();
        }
        guard(preferredRegion);
        List<String> order = new ArrayList<>(regions().size());
        order.add(preferredRegion);
        for (String region : regions()) {
            if (!region.equals(preferredRegion)) {
                order.add(region);
            }
        }
        return order;
    }

    private void succeeded(String preferred, String region) {
        lastUsedRegion = region;
        if (!preferred.equals(region)) {
            fallbackCounter(preferred, region).increment();
        }
    }

    private Counter fallbackCounter(String preferred, String region) {
        return fallbackCounters.computeIfAbsent(preferred + "\u0000" + region, key -> Counter.builder(REGION_FALLBACKS)
                .description("Calls answered by a region other than the preferred one")
                .tag(TAG_DEPENDENCY, config.dependency())
                .tag(TAG_FROM, preferred)
                .tag(TAG_TO, region)
                .register(meters));
    }

    @Override
    public Optional<String> activeRegion() {
        for (String region : regions()) {
            if (guards.get(region).permitsCalls()) {
                return Optional.of(region);
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> lastUsedRegion() {
        return Optional.ofNullable(lastUsedRegion);
    }

    @Override
    public String toString() {
        return "RegionFallback[" + dependency() + ", " + regions() + "]";
    }
}
