package org.projectbeacon.resilience.spi;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Describes one meter a module may register: its Micrometer name, kind, base unit, tag keys and
 * whether it publishes a histogram.
 *
 * <p>Instances are immutable and thread-safe. The constructor rejects a blank name, a null kind,
 * blank tag keys and a histogram flag on a kind that cannot publish one, naming the field and value.
 *
 * @param name the Micrometer meter name, dot separated (for example {@code jobs.processed})
 * @param kind the meter kind
 * @param baseUnit the base unit (for example {@code bytes}), or {@code null} for none; timers always
 *     export seconds and ignore it
 * @param tagKeys the tag keys every registration of this meter carries, in declaration order
 * @param histogram whether a timer or distribution summary publishes histogram buckets
 * @param description one sentence for humans
 */
public record MeterDescriptor(
        String name, MeterKind kind, String baseUnit, List<String> tagKeys, boolean histogram, String description) {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.:-]*");
    private static final Pattern ILLEGAL_PROMETHEUS_CHARACTERS = Pattern.compile("[^a-zA-Z0-9_:]");

    /** Validates the fields; see the type's documentation. */
    public MeterDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must match " + NAME + " but was '" + name + "'");
        }
        if (baseUnit != null && baseUnit.isBlank()) {
            throw new IllegalArgumentException("baseUnit must be null or non-blank but was '" + baseUnit + "'");
        }
        tagKeys = List.copyOf(Objects.requireNonNull(tagKeys, "tagKeys"));
        for (String key : tagKeys) {
            if (key.isBlank()) {
                throw new IllegalArgumentException("tagKeys must not contain a blank key but was " + tagKeys);
            }
        }
        if (histogram && kind != MeterKind.TIMER && kind != MeterKind.DISTRIBUTION_SUMMARY) {
            throw new IllegalArgumentException("histogram is only possible for TIMER or DISTRIBUTION_SUMMARY but kind was " + kind);
        }
        description = description == null ? "" : description;
    }

    /** A counter with the given tag keys. */
    public static MeterDescriptor counter(String name, String description, String... tagKeys) {
        return new MeterDescriptor(name, MeterKind.COUNTER, null, List.of(tagKeys), false, description);
    }

    /** A gauge without a base unit, with the given tag keys. */
    public static MeterDescriptor gauge(String name, String description, String... tagKeys) {
        return new MeterDescriptor(name, MeterKind.GAUGE, null, List.of(tagKeys), false, description);
    }

    /** A gauge with a base unit (such as {@code seconds}), with the given tag keys. */
    public static MeterDescriptor gaugeWithUnit(String name, String baseUnit, String description, String... tagKeys) {
        return new MeterDescriptor(name, MeterKind.GAUGE, baseUnit, List.of(tagKeys), false, description);
    }

    /** A timer, with or without histogram buckets, with the given tag keys. */
    public static MeterDescriptor timer(String name, boolean histogram, String description, String... tagKeys) {
        return new MeterDescriptor(name, MeterKind.TIMER, null, List.of(tagKeys), histogram, description);
    }

    /**
     * The Prometheus base name of this meter as {@code micrometer-registry-prometheus} writes it: the
     * name with every character outside {@code [a-zA-Z0-9_:]} replaced by {@code _}, with
     * {@code _seconds} for timers and {@code _<baseUnit>} for other kinds unless the name already ends
     * so, and without the {@code _total} suffix that counters then add.
     */
    public String prometheusBaseName() {
        String converted = ILLEGAL_PROMETHEUS_CHARACTERS.matcher(name).replaceAll("_");
        String unit = switch (kind) {
            case TIMER, LONG_TASK_TIMER -> "seconds";
            default -> baseUnit == null ? null : ILLEGAL_PROMETHEUS_CHARACTERS.matcher(baseUnit).replaceAll("_");
        };
        if (kind == MeterKind.COUNTER && converted.endsWith("_total")) {
            converted = converted.substring(0, converted.length() - "_total".length());
        }
        if (unit != null && !converted.endsWith("_" + unit)) {
            converted = converted + "_" + unit;
        }
        return converted;
    }

    /**
     * Every sample name this meter exports in the Prometheus text format, for example
     * {@code jobs_duration_seconds_count}, {@code jobs_duration_seconds_sum},
     * {@code jobs_duration_seconds_max} and, with a histogram, {@code jobs_duration_seconds_bucket}.
     */
    public Set<String> prometheusSeries() {
        String base = prometheusBaseName();
        Set<String> series = new LinkedHashSet<>();
        switch (kind) {
            case COUNTER -> series.add(base + "_total");
            case GAUGE -> series.add(base);
            case TIMER, DISTRIBUTION_SUMMARY -> {
                series.add(base + "_count");
                series.add(base + "_sum");
                series.add(base + "_max");
                if (histogram) {
                    series.add(base + "_bucket");
                }
            }
            case LONG_TASK_TIMER -> {
                series.add(base + "_active_count");
                series.add(base + "_duration_sum");
                series.add(base + "_max");
            }
        }
        return series;
    }
}
