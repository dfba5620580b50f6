package org.projectbeacon.maven.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.projectbeacon.maven.labels.LabelSet;
import org.projectbeacon.resilience.spi.MeterDescriptor;
import org.projectbeacon.resilience.spi.MeterKind;
import org.projectbeacon.resilience.spi.MetricCatalog;

/**
 * Every metric name a project exports, from its metric catalogs (named exactly as
 * micrometer-registry-prometheus names them), scrapes saved as files, names exported by other jobs,
 * Prometheus' own series and the recording rules of its rule files.
 *
 * <p>Knows the labels of each series too: a catalog's tag keys (with the closed value sets it
 * declares), the labels and values seen in a saved scrape, the label list of an external metric
 * written as {@code name{label,...}}, the labels a recording rule's expression leaves, and the
 * target labels Prometheus adds at scrape time ({@link #TARGET_LABELS} unless configured).
 *
 * <p>Resolves a series name used in PromQL or a runbook to its family: {@code jobs_duration_seconds_bucket}
 * belongs to timer {@code jobs_duration_seconds}. Immutable once built; thread-safe.
 */
public final class ExportedMetrics {

    /** Series Prometheus itself writes for every target and alert. */
    public static final Set<String> PROMETHEUS_SERIES = Set.of(
            "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
            "scrape_series_added", "ALERTS", "ALERTS_FOR_STATE");

    /** Labels Prometheus attaches to every scraped series. */
    public static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    private static final Pattern EXTERNAL = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(?:\\{([^}]*)}\\s*)?");
    private static final Pattern TYPE_LINE = Pattern.compile("^#\\s+TYPE\\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\\s+(\\w+)");
    private static final Pattern SAMPLE_LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*[{ ]");
    private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_count", "_sum", "_max", "_created",
            "_active_count", "_duration_sum", "_gcount", "_gsum");

    private final Map<String, ExportedMetric> families;
    private final Set<String> series;
    private final Map<String, SeriesLabels> labels;

    private ExportedMetrics(Map<String, ExportedMetric> families, Set<String> series, Map<String, SeriesLabels> labels) {
        this.families = Map.copyOf(families);
        this.series = Set.copyOf(series);
        // The builder hands its maps over and is not used again, so nothing changes them after this.
        this.labels = Map.copyOf(labels);
    }

    /** The labels series {@code name} can carry; {@link LabelSet#ANY} when nothing says. */
    public LabelSet labels(String name) {
        SeriesLabels info = labels.get(name);
        return info == null ? LabelSet.ANY : info.set();
    }

    /**
     * The values label {@code label} of series {@code name} can take, when a catalog declares them
     * closed: the declared values plus any seen in a metrics file. Empty when any value is possible.
     */
    public Optional<Set<String>> knownValues(String name, String label) {
        SeriesLabels info = labels.get(name);
        if (info == null || !info.closed.containsKey(label)) {
            return Optional.empty();
        }
        Set<String> values = new TreeSet<>(info.closed.get(label));
        values.addAll(info.observed.getOrDefault(label, Set.of()));
        return Optional.of(values);
    }

    /** What is known of one series' labels; mutable only while the builder fills it. */
    private static final class SeriesLabels {
        final Set<String> names = new TreeSet<>();
        boolean open;
        final Map<String, Set<String>> closed = new HashMap<>();
        final Map<String, Set<String>> observed = new HashMap<>();

        LabelSet set() {
            return new LabelSet(names, open);
        }
    }

    /** A builder starting with Prometheus' own series. */
    public static Builder builder() {
        return new Builder();
    }

    /** How many distinct series names are exported. */
    public int size() {
        return series.size();
    }

    /** Every exported series name, sorted. */
    public Set<String> seriesNames() {
        return new TreeSet<>(series);
    }

    /** Whether a series called {@code name} is exported, or {@code name} is a family (a histogram's base name). */
    public boolean exports(String name) {
        return series.contains(name) || families.containsKey(name);
    }

    /** Whether some exported series starts with {@code prefix}. */
    public boolean exportsPrefix(String prefix) {
        return series.stream().anyMatch(s -> s.startsWith(prefix));
    }

    /**
     * The family a series name belongs to: itself, or the histogram/summary/timer it is the
     * {@code _bucket}, {@code _count}, {@code _sum} or {@code _max} of.
     */
    public Optional<ExportedMetric> family(String name) {
        ExportedMetric direct = families.get(name);
        if (direct != null) {
            return Optional.of(direct);
        }
        for (String suffix : HISTOGRAM_SUFFIXES) {
            if (name.endsWith(suffix)) {
                ExportedMetric base = families.get(name.substring(0, name.length() - suffix.length()));
                if (base != null && base.kind() == ExportedMetric.Kind.HISTOGRAM_OR_SUMMARY) {
                    return Optional.of(base);
                }
            }
        }
        return Optional.empty();
    }

    /** The exported series closest to {@code name} by edit distance, for "did you mean" hints. */
    public Optional<String> closest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : new TreeSet<>(series)) {
            int distance = distance(name, candidate, bestDistance);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // A suggestion further away than half the name is noise, not help.
        return best != null && bestDistance <= Math.max(3, name.length() / 2) ? Optional.of(best) : Optional.empty();
    }

    private static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) >= limit) {
            return limit;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Builds {@link ExportedMetrics}; not thread-safe, and not to be used after {@link #build()}. */
    public static final class Builder {
        private final Map<String, ExportedMetric> families = new LinkedHashMap<>();
        private final Set<String> series = new TreeSet<>();
        private final Map<String, SeriesLabels> labels = new HashMap<>();
        private Set<String> targetLabels = TARGET_LABELS;

        private Builder() {
            // Relabelling may give up and scrape_* any target label, so their labels stay open.
            PROMETHEUS_SERIES.forEach(name -> add(name, ExportedMetric.Kind.UNKNOWN, false, "prometheus", Set.of(name)));
        }

        /**
         * The labels Prometheus adds to every scraped series (default {@link #TARGET_LABELS});
         * call before adding catalogs and files.
         */
        public Builder targetLabels(Collection<String> names) {
            targetLabels = Set.copyOf(names);
            return this;
        }

        private SeriesLabels info(String name) {
            return labels.computeIfAbsent(name, n -> new SeriesLabels());
        }

        /** Adds every meter of {@code catalog} under its Prometheus names. */
        public Builder catalog(MetricCatalog catalog) {
            for (MeterDescriptor meter : catalog.meters()) {
                Set<String> names = meter.prometheusSeries();
                for (String name : names) {
                    SeriesLabels info = info(name);
                    info.names.addAll(meter.tagKeys());
                    info.names.addAll(targetLabels);
                    if (name.endsWith("_bucket")) {
                        info.names.add("le");
                    }
                    meter.closedTagValues().forEach((key, values) ->
                            info.closed.computeIfAbsent(key, k -> new TreeSet<>()).addAll(values));
                }
                switch (meter.kind()) {
                    case COUNTER -> add(names.iterator().next(), ExportedMetric.Kind.COUNTER, false, catalog.module(), names);
                    case GAUGE -> add(names.iterator().next(), ExportedMetric.Kind.GAUGE, false, catalog.module(), names);
                    default -> add(meter.prometheusBaseName(), ExportedMetric.Kind.HISTOGRAM_OR_SUMMARY,
                            meter.histogram() && meter.kind() != MeterKind.LONG_TASK_TIMER, catalog.module(), names);
                }
            }
            return this;
        }

        /** Adds every catalog. */
        public Builder catalogs(Collection<MetricCatalog> catalogs) {
            catalogs.forEach(this::catalog);
            return this;
        }

        /**
         * Adds the series of a Prometheus text exposition (a saved scrape), typed by its
         * {@code # TYPE} lines.
         *
         * @throws IOException when the file cannot be read; the message names it
         */
        public Builder metricsFile(Path file) throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new IOException("metrics file " + file + " does not exist or is not a file");
            }
            Map<String, String> types = new LinkedHashMap<>();
            Set<String> samples = new TreeSet<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Matcher type = TYPE_LINE.matcher(line);
                if (type.find()) {
                    types.put(type.group(1), type.group(2));
                    continue;
                }
                Matcher sample = SAMPLE_LINE.matcher(line);
                if (!line.startsWith("#") && sample.find()) {
                    samples.add(sample.group(1));
                    SeriesLabels info = info(sample.group(1));
                    info.names.addAll(targetLabels);
                    sampleLabels(line, sample.group(1).length()).forEach((key, value) -> {
                        info.names.add(key);
                        info.observed.computeIfAbsent(key, k -> new TreeSet<>()).add(value);
                    });
                }
            }
            String source = file.getFileName().toString();
            types.forEach((family, type) -> {
                ExportedMetric.Kind kind = switch (type) {
                    case "counter" -> ExportedMetric.Kind.COUNTER;
                    case "gauge" -> ExportedMetric.Kind.GAUGE;
                    case "histogram", "summary", "gaugehistogram" -> ExportedMetric.Kind.HISTOGRAM_OR_SUMMARY;
                    default -> ExportedMetric.Kind.UNKNOWN;
                };
                boolean histogram = samples.contains(family + "_bucket");
                // OpenMetrics names a counter family without _total; its samples carry it.
                String name = kind == ExportedMetric.Kind.COUNTER && !family.endsWith("_total")
                        && samples.contains(family + "_total") ? family + "_total" : family;
                families.putIfAbsent(name, new ExportedMetric(name, kind, histogram, source));
            });
            for (String sample : samples) {
                series.add(sample);
            }
            return this;
        }

        /**
         * Adds names exported by other jobs (node exporter and the like), of unknown kind. An entry
         * may list its labels, {@code node_filesystem_avail_bytes{device,mountpoint}}: the series
         * then carries those and the target labels; without a list it may carry any label.
         *
         * @throws IllegalArgumentException naming an entry that is neither a name nor a name with a label list
         */
        public Builder external(Collection<String> names) {
            for (String entry : names) {
                Matcher matcher = EXTERNAL.matcher(entry.trim());
                if (!matcher.matches()) {
                    throw new IllegalArgumentException("externalMetrics entry must be a metric name, optionally with "
                            + "{label,...}, but was '" + entry + "'");
                }
                String name = matcher.group(1);
                add(name, ExportedMetric.Kind.UNKNOWN, false, "external", Set.of(name));
                SeriesLabels info = info(name);
                if (matcher.group(2) == null) {
                    info.open = true;
                } else {
                    info.names.addAll(targetLabels);
                    for (String label : matcher.group(2).split(",")) {
                        if (!label.isBlank()) {
                            info.names.add(label.trim());
                        }
                    }
                }
            }
            return this;
        }

        /** Adds the series a recording rule writes, of unknown labels. */
        public Builder recordingRule(String name, String file) {
            return recordingRule(name, file, LabelSet.ANY);
        }

        /** Adds the series a recording rule writes, carrying {@code carried}. */
        public Builder recordingRule(String name, String file, LabelSet carried) {
            add(name, ExportedMetric.Kind.UNKNOWN, false, file, Set.of(name));
            SeriesLabels info = info(name);
            info.names.addAll(carried.names());
            info.open |= carried.open();
            return this;
        }

        private Builder add(String family, ExportedMetric.Kind kind, boolean histogram, String source, Set<String> names) {
            families.putIfAbsent(family, new ExportedMetric(family, kind, histogram, source));
            series.addAll(names);
            if (source.equals("prometheus")) {
                names.forEach(name -> info(name).open = true);
            }
            return this;
        }

        /** Builds the set. */
        public ExportedMetrics build() {
            return new ExportedMetrics(families, series, labels);
        }

        /** The {@code name="value"} pairs of a sample line, read after the metric name. */
        private static Map<String, String> sampleLabels(String line, int from) {
            Map<String, String> pairs = new LinkedHashMap<>();
            int i = from;
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            if (i >= line.length() || line.charAt(i) != '{') {
                return pairs;
            }
            i++;
            while (i < line.length()) {
                while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == ',')) {
                    i++;
                }
                if (i >= line.length() || line.charAt(i) == '}') {
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    break;
                }
                String key = line.substring(i, eq).trim();
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (j < line.length() && line.charAt(j) != '"') {
                    if (line.charAt(j) == '\\' && j + 1 < line.length()) {
                        j++;
                        value.append(line.charAt(j) == 'n' ? '\n' : line.charAt(j));
                    } else {
                        value.append(line.charAt(j));
                    }
                    j++;
                }
                pairs.put(key, value.toString());
                i = j + 1;
            }
            return pairs;
        }
    }
}
