package org.projectbeacon.resilience.spi;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Describes one meter a module may register: its Micrometer name, kind, base unit, tag keys, the
 * closed value sets of the tag keys that have one, and whether it publishes a histogram.
 *
 * <p>A tag key with a closed value set (such as {@code outcome} = {@code success|failure}) never
 * carries another value, so a tool may call any other value a mistake; a key without one (such as a
 * dependency's {@code name}) may carry any value. Declare a closed set only where the binder can
 * emit nothing else, and prove it in the module's catalog test.
 *
 * <p>Instances are immutable and thread-safe. The constructor rejects a blank name, a null kind,
 * blank tag keys, a histogram flag on a kind that cannot publish one, and value sets for keys the
 * meter does not carry, or that are empty or hold a blank value, naming the field and value.
 *
 * @param name the Micrometer meter name, dot separated (for example {@code jobs.processed})
 * @param kind the meter kind
 * @param baseUnit the base unit (for example {@code bytes}), or {@code null} for none; timers always
 *     export seconds and ignore it
 * @param tagKeys the tag keys every registration of this meter carries, in declaration order
 * @param histogram whether a timer or distribution summary publishes histogram buckets
 * @param description one sentence for humans
 * @param closedTagValues for each tag key whose values form a closed set, that set, in declaration
 *     order; keys without an entry may carry any value
 */
public record MeterDescriptor(
        String name, MeterKind kind, String baseUnit, List<String> tagKeys, boolean histogram, String description,
        Map<String, Set<String>> closedTagValues) {

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
        closedTagValues = copyValues(Objects.requireNonNull(closedTagValues, "closedTagValues"), tagKeys);
    }

    /** A descriptor whose tag keys all have open value sets. */
    public MeterDescriptor(
            String name, MeterKind kind, String baseUnit, List<String> tagKeys, boolean histogram, String description) {
        this(name, kind, baseUnit, tagKeys, histogram, description, Map.of());
    }

    /**
     * This descriptor with tag key {@code key} closed over {@code values}: the binder emits no other
     * value for it.
     *
     * @throws IllegalArgumentException when the meter has no tag {@code key}, or {@code values} is
     *     empty or holds a blank value
     */
    public MeterDescriptor withClosedValues(String key, String... values) {
        Map<String, Set<String>> closed = new LinkedHashMap<>(closedTagValues);
        closed.put(key, new LinkedHashSet<>(Arrays.asList(values)));
        return new MeterDescriptor(name, kind, baseUnit, tagKeys, histogram, description, closed);
    }

    /** This descriptor with tag key {@code key} closed over {@code values}; see {@link #withClosedValues(String, String...)}. */
    public MeterDescriptor withClosedValues(String key, Collection<String> values) {
        return withClosedValues(key, values.toArray(String[]::new));
    }

    /** The closed value set of tag {@code key}, or empty when the key may carry any value or is not a tag of this meter. */
    public Optional<Set<String>> closedValues(String key) {
        return Optional.ofNullable(closedTagValues.get(key));
    }

    private static Map<String, Set<String>> copyValues(Map<String, Set<String>> values, List<String> tagKeys) {
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        values.forEach((key, set) -> {
            if (!tagKeys.contains(key)) {
                throw new IllegalArgumentException("closedTagValues key must be one of the tagKeys " + tagKeys + " but was '" + key + "'");
            }
            if (set == null || set.isEmpty() || set.stream().anyMatch(v -> v == null || v.isBlank())) {
                throw new IllegalArgumentException("closedTagValues of '" + key + "' must be non-empty and hold no blank value but was " + set);
            }
            copy.put(key, Collections.unmodifiableSet(new LinkedHashSet<>(set)));
        });
        return Collections.unmodifiableMap(copy);
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
