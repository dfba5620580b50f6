package org.projectbeacon.resilience;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The immutable configuration of a {@link RegionFallback}: the dependency, its regions in order of
 * preference, and which failures move a call on to the next region.
 *
 * <p>Each region gets its own guard named {@code <dependency>-<region>}, configured from the
 * registry's settings for that name, else for the dependency, else the defaults.
 *
 * <p>Built with {@link #builder(String)}; every setter validates eagerly and names the parameter and
 * value it rejects. Instances are thread-safe.
 */
public final class RegionFallbackConfig {

    /** Default: every failure moves the call on to the next region. */
    public static final Predicate<Throwable> DEFAULT_FALLBACK_ON = throwable -> true;

    private final String dependency;
    private final List<String> regions;
    private final Predicate<Throwable> fallbackOn;

    private RegionFallbackConfig(Builder builder) {
        this.dependency = builder.dependency;
        this.regions = List.copyOf(builder.regions);
        this.fallbackOn = builder.fallbackOn;
    }

    /** A builder for the fallback of {@code dependency}. */
    public static Builder builder(String dependency) {
        return new Builder(dependency);
    }

    /** The dependency's name. */
    public String dependency() {
        return dependency;
    }

    /** Regions in order of preference; never empty, no duplicates. */
    public List<String> regions() {
        return regions;
    }

    /** Which failures move a call to the next region; others end the call at once. */
    public Predicate<Throwable> fallbackOn() {
        return fallbackOn;
    }

    /** The name of the guard protecting {@code region}: {@code <dependency>-<region>}. */
    public String guardName(String region) {
        return dependency + "-" + region;
    }

    /** Builds a {@link RegionFallbackConfig}. Not thread-safe. */
    public static final class Builder {
        private final String dependency;
        private final List<String> regions = new ArrayList<>();
        private Predicate<Throwable> fallbackOn = DEFAULT_FALLBACK_ON;

        private Builder(String dependency) {
            this.dependency = Names.requireName("dependency", dependency);
        }

        /** Sets the regions in order of preference, replacing any set before. */
        public Builder regions(List<String> regions) {
            Objects.requireNonNull(regions, "regions");
            if (regions.isEmpty()) {
                throw new IllegalArgumentException("regions must not be empty but was []");
            }
            Set<String> seen = new LinkedHashSet<>();
            for (String region : regions) {
                Names.requireName("region", region);
                if (!seen.add(region)) {
                    throw new IllegalArgumentException("regions must not repeat a region but '" + region
                            + "' appears twice in " + regions);
                }
            }
            this.regions.clear();
            this.regions.addAll(regions);
            return this;
        }

        /** Sets the regions in order of preference. */
        public Builder regions(String... regions) {
            return regions(List.of(regions));
        }

        /** Which failures move a call on to the next region. */
        public Builder fallbackOn(Predicate<Throwable> fallbackOn) {
            this.fallbackOn = Objects.requireNonNull(fallbackOn, "fallbackOn");
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalArgumentException when no region was set
         */
        public RegionFallbackConfig build() {
            if (regions.isEmpty()) {
                throw new IllegalArgumentException("regions must not be empty but was [] for dependency " + dependency);
            }
            return new RegionFallbackConfig(this);
        }
    }
}
