package org.projectbeacon.maven.metrics;

import java.util.Objects;

/**
 * One Prometheus family a project exports, with the kind that decides which functions suit it.
 *
 * @param family the family name (for a timer, {@code jobs_duration_seconds}; for a counter,
 *     {@code jobs_processed_total} as the sample is named)
 * @param kind what sort of series it is
 * @param histogram whether a timer or summary publishes {@code _bucket} series
 * @param source where the name comes from (a catalog's module, a metrics file, "external", ...)
 */
public record ExportedMetric(String family, Kind kind, boolean histogram, String source) {

    /** What sort of series a family is. */
    public enum Kind {
        /** Monotonic; for rate() and increase(). */
        COUNTER,
        /** A sampled value; not for rate(). */
        GAUGE,
        /** Count, sum, max and maybe buckets of observations. */
        HISTOGRAM_OR_SUMMARY,
        /** Kind unknown (external names, untyped scrape lines, recording rules); no type checks. */
        UNKNOWN
    }

    /** Validates the fields. */
    public ExportedMetric {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
    }
}
