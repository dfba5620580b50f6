package org.projectbeacon.resilience;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Calls a dependency served from several regions, in order of preference, each region behind its
 * own {@link Guard}.
 *
 * <p>A call goes to the first region whose breaker permits calls. When it fails (after that
 * region's retries) with a failure the configuration's {@code fallbackOn} accepts, the call moves to
 * the next region. Regions whose breaker is open are skipped without a call. When every region
 * failed or was skipped, {@link AllRegionsFailedException} lists each region with its failure. A
 * call answered by a region other than the preferred one increments the
 * {@code beacon.region.fallbacks} counter tagged with the dependency and both regions.
 *
 * <p>Created by {@link GuardRegistry#regionFallback(RegionFallbackConfig)}; thread-safe.
 */
public interface RegionFallback {

    /** The dependency's name. */
    String dependency();

    /** The regions in order of preference. */
    List<String> regions();

    /** The guard of {@code region}. @throws IllegalArgumentException for a region not configured */
    Guard guard(String region);

    /** Calls the regions in the configured order; see the type's documentation. */
    <T> T call(RegionCall<T> call);

    /**
     * Calls {@code preferredRegion} first, then the other regions in the configured order. A null
     * preferred region means the configured order.
     *
     * @throws IllegalArgumentException when {@code preferredRegion} is not one of the regions
     */
    <T> T call(String preferredRegion, RegionCall<T> call);

    /** The asynchronous form of {@link #call(RegionCall)}; the stage fails with {@link AllRegionsFailedException}. */
    <T> CompletionStage<T> callAsync(Function<String, ? extends CompletionStage<T>> call);

    /** The region the next call would go to first: the first whose breaker permits calls. */
    Optional<String> activeRegion();

    /** The region that answered the latest successful call, if any call succeeded yet. */
    Optional<String> lastUsedRegion();
}
