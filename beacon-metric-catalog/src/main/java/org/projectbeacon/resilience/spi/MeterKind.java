package org.projectbeacon.resilience.spi;

/**
 * The kind of a meter, as Micrometer registers it.
 *
 * <p>The kind decides which Prometheus series a meter exports; see
 * {@link MeterDescriptor#prometheusSeries()}.
 */
public enum MeterKind {
    /** A monotonically increasing count; exported as {@code <name>_total}. */
    COUNTER,
    /** A sampled value; exported as {@code <name>[_<unit>]}. */
    GAUGE,
    /** Durations; exported as {@code <name>_seconds_count|_sum|_max} (+ {@code _bucket} with a histogram). */
    TIMER,
    /** Sizes or amounts; exported as {@code <name>[_<unit>]_count|_sum|_max} (+ {@code _bucket} with a histogram). */
    DISTRIBUTION_SUMMARY,
    /** In-flight tasks; exported as {@code <name>_seconds_active_count|_duration_sum|_max}. */
    LONG_TASK_TIMER
}
