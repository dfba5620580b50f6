package org.projectbeacon.maven.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The comparisons and the duration a runbook's {@code **Symptoms**:} line states, such as
 * {@code >10% job failure rate over 5 minutes} or {@code 95th percentile >2s}.
 *
 * <p>Percentages become ratios (10 % is 0.10; the check also accepts a rule written in percent),
 * times become seconds ({@code 2s}, {@code 500ms}, {@code 5m}). A comparison introduced by
 * {@code for} or {@code over} with a time unit is the duration, not a threshold.
 *
 * @param thresholds the stated comparisons
 * @param duration the stated duration, or {@code null}
 * @param text the symptoms as written
 */
public record Symptoms(List<Comparison> thresholds, Duration duration, String text) {

    private static final Pattern DURATION = Pattern.compile(
            "\\b(?:for|over|during|within)\\s+(?:more than\\s+|>=?\\s*)?(\\d+(?:\\.\\d+)?)\\s*"
                    + "(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?)\\b");
    private static final Pattern COMPARISON = Pattern.compile(
            "(>=|<=|==|!=|>|<|≥|≤)\\s*(\\d+(?:\\.\\d+)?)\\s*(%|ms|s|m|h|seconds?|minutes?)?(?![\\w.])");

    /** Copies the list. */
    public Symptoms {
        thresholds = List.copyOf(thresholds);
    }

    /**
     * A stated comparison.
     *
     * @param operator {@code >}, {@code >=}, {@code <}, {@code <=}, {@code ==} or {@code !=}
     * @param value the value in base units (a ratio for percentages, seconds for times)
     * @param percent whether it was written as a percentage
     * @param written the comparison as written
     */
    public record Comparison(String operator, double value, boolean percent, String written) {}

    /** Reads {@code text}; an unrecognised text has no thresholds and no duration. */
    public static Symptoms parse(String text) {
        if (text == null) {
            return new Symptoms(List.of(), null, "");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        Duration duration = null;
        List<int[]> durationSpans = new ArrayList<>();
        Matcher d = DURATION.matcher(lower);
        if (d.find()) {
            duration = toDuration(Double.parseDouble(d.group(1)), d.group(2));
            durationSpans.add(new int[] {d.start(), d.end()});
        }
        List<Comparison> thresholds = new ArrayList<>();
        Matcher c = COMPARISON.matcher(lower);
        while (c.find()) {
            int at = c.start();
            if (durationSpans.stream().anyMatch(span -> at >= span[0] && at < span[1])) {
                continue;
            }
            String operator = switch (c.group(1)) {
                case "≥" -> ">=";
                case "≤" -> "<=";
                default -> c.group(1);
            };
            double value = Double.parseDouble(c.group(2));
            String unit = c.group(3) == null ? "" : c.group(3);
            boolean percent = unit.equals("%");
            double base = percent ? value / 100.0 : unit.isEmpty() ? value : seconds(value, unit);
            thresholds.add(new Comparison(operator, base, percent, text.substring(c.start(), c.end()).trim()));
        }
        return new Symptoms(thresholds, duration, text);
    }

    private static Duration toDuration(double amount, String unit) {
        return Duration.ofMillis(Math.round(seconds(amount, unit) * 1000));
    }

    private static double seconds(double amount, String unit) {
        if (unit.startsWith("ms") || unit.startsWith("milli")) {
            return amount / 1000.0;
        }
        if (unit.startsWith("h")) {
            return amount * 3600;
        }
        if (unit.startsWith("m")) {
            return amount * 60;
        }
        return amount;
    }
}
