package org.projectbeacon.resilience;

/**
 * A call made to one region, given the region's name.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface RegionCall<T> {

    /** Calls the dependency in {@code region}. */
    T call(String region) throws Exception;
}
