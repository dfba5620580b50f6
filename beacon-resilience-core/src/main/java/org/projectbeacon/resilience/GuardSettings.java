package org.projectbeacon.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Guard and region settings read from {@link Properties} or a {@link Map}, so a runner configures
 * its guards without code.
 *
 * <p>Recognised keys, values as in {@link GuardConfig.Builder}:
 * <pre>
 * beacon.guard-defaults.&lt;setting&gt;=&lt;value&gt;     applies to every guard
 * beacon.guards.&lt;name&gt;.&lt;setting&gt;=&lt;value&gt;     applies to guard &lt;name&gt; (and, for a region
 *                                               fallback named &lt;name&gt;, to each of its regions)
 * beacon.regions.&lt;dependency&gt;=lhr,fra,ams      regions of a fallback, in order of preference
 * </pre>
 * Settings: {@code sliding-window-type} ({@code count-based}|{@code time-based}),
 * {@code sliding-window-size}, {@code minimum-number-of-calls}, {@code failure-rate-threshold},
 * {@code slow-call-rate-threshold}, {@code slow-call-duration-threshold},
 * {@code permitted-calls-in-half-open-state}, {@code max-wait-in-half-open-state},
 * {@code wait-duration-in-open-state}, {@code automatic-transition-to-half-open},
 * {@code retry-max-attempts}, {@code retry-initial-interval}, {@code retry-multiplier},
 * {@code retry-randomization-factor}, {@code retry-max-interval}, {@code timeout} (or {@code none}),
 * {@code bulkhead-max-concurrent-calls} (or {@code none}), {@code bulkhead-max-wait}. Durations
 * are written {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or in ISO-8601 ({@code PT5S}).
 *
 * <p>Keys outside {@code beacon.guards.}, {@code beacon.guard-defaults.} and {@code beacon.regions.}
 * are left for other modules. Inside them, an unknown key or a bad value throws
 * {@link IllegalArgumentException} naming the key and the value; parsing checks every key before it
 * returns, so bad settings fail at start-up. Instances are immutable and thread-safe.
 */
public final class GuardSettings {

    /** Prefix of per-guard keys. */
    public static final String GUARDS_PREFIX = "beacon.guards.";
    /** Prefix of keys applying to every guard. */
    public static final String DEFAULTS_PREFIX = "beacon.guard-defaults.";
    /** Prefix of region lists. */
    public static final String REGIONS_PREFIX = "beacon.regions.";

    private static final Pattern GUARD_KEY = Pattern.compile(Pattern.quote(GUARDS_PREFIX) + "([^.]+)\\.([^.]+)");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Map<String, BiConsumer<GuardConfig.Builder, String>> SETTINGS = settings();

    private static final GuardSettings EMPTY = new GuardSettings(Map.of(), Map.of(), Map.of());

    private final Map<String, String> defaults;
    private final Map<String, Map<String, String>> perGuard;
    private final Map<String, List<String>> regions;

    private GuardSettings(
            Map<String, String> defaults, Map<String, Map<String, String>> perGuard, Map<String, List<String>> regions) {
        this.defaults = defaults;
        this.perGuard = perGuard;
        this.regions = regions;
    }

    /** No settings: every guard gets {@link GuardConfig#ofDefaults()}. */
    public static GuardSettings empty() {
        return EMPTY;
    }

    /**
     * Reads settings from {@code properties}.
     *
     * @throws IllegalArgumentException for an unknown key or a bad value, naming both
     */
    public static GuardSettings fromProperties(Properties properties) {
        Objects.requireNonNull(properties, "properties");
        Map<String, String> map = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            map.put(key, properties.getProperty(key));
        }
        return fromMap(map);
    }

    /**
     * Reads settings from {@code map}.
     *
     * @throws IllegalArgumentException for an unknown key or a bad value, naming both
     */
    public static GuardSettings fromMap(Map<String, String> map) {
        Objects.requireNonNull(map, "map");
        Map<String, String> defaults = new TreeMap<>();
        Map<String, Map<String, String>> perGuard = new TreeMap<>();
        Map<String, List<String>> regions = new TreeMap<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(map).entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue() == null ? "" : entry.getValue().trim();
            if (key.startsWith(DEFAULTS_PREFIX)) {
                String setting = key.substring(DEFAULTS_PREFIX.length());
                requireKnownSetting(key, setting);
                defaults.put(setting, value);
            } else if (key.startsWith(GUARDS_PREFIX)) {
                Matcher matcher = GUARD_KEY.matcher(key);
                if (!matcher.matches()) {
                    throw new IllegalArgumentException("unknown key " + key
                            + ": expected " + GUARDS_PREFIX + "<name>.<setting>");
                }
                String name = matcher.group(1);
                checkName(key, name);
                requireKnownSetting(key, matcher.group(2));
                perGuard.computeIfAbsent(name, n -> new TreeMap<>()).put(matcher.group(2), value);
            } else if (key.startsWith(REGIONS_PREFIX)) {
                String dependency = key.substring(REGIONS_PREFIX.length());
                checkName(key, dependency);
                List<String> list = value.isEmpty() ? List.of()
                        : Arrays.stream(value.split(",")).map(String::trim).toList();
                try {
                    RegionFallbackConfig.builder(dependency).regions(list);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(key + "=" + value + ": " + e.getMessage(), e);
                }
                regions.put(dependency, list);
            }
        }
        GuardSettings settings = new GuardSettings(
                Collections.unmodifiableMap(defaults), Collections.unmodifiableMap(perGuard), Collections.unmodifiableMap(regions));
        // Build every configuration once now, so that a bad value fails at start-up, not at first use.
        settings.defaults();
        perGuard.keySet().forEach(settings::configFor);
        return settings;
    }

    /** The configuration every guard starts from. */
    public GuardConfig defaults() {
        GuardConfig.Builder builder = GuardConfig.builder();
        apply(builder, DEFAULTS_PREFIX, defaults);
        return build(builder, DEFAULTS_PREFIX + "*");
    }

    /** The configuration of guard {@code name}: the defaults overlaid with its own settings. */
    public GuardConfig configFor(String name) {
        return configFor(name, null);
    }

    /**
     * The configuration of guard {@code name} that belongs to {@code parent} (a region guard and its
     * dependency): the defaults, overlaid with the parent's settings, overlaid with its own.
     */
    public GuardConfig configFor(String name, String parent) {
        GuardConfig.Builder builder = GuardConfig.builder();
        apply(builder, DEFAULTS_PREFIX, defaults);
        if (parent != null) {
            apply(builder, GUARDS_PREFIX + parent + ".", perGuard.getOrDefault(parent, Map.of()));
        }
        apply(builder, GUARDS_PREFIX + name + ".", perGuard.getOrDefault(name, Map.of()));
        return build(builder, GUARDS_PREFIX + name + ".*");
    }

    /** The names that have settings of their own. */
    public Set<String> configuredGuards() {
        return new TreeSet<>(perGuard.keySet());
    }

    /** The regions configured for {@code dependency}, in order of preference. */
    public Optional<List<String>> regions(String dependency) {
        return Optional.ofNullable(regions.get(dependency));
    }

    /** Every configured region list, by dependency. */
    public Map<String, List<String>> regions() {
        return regions;
    }

    private static void apply(GuardConfig.Builder builder, String prefix, Map<String, String> values) {
        values.forEach((setting, value) -> {
            try {
                SETTINGS.get(setting).accept(builder, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + setting + "=" + value + ": " + e.getMessage(), e);
            }
        });
    }

    private static GuardConfig build(GuardConfig.Builder builder, String keys) {
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(keys + ": " + e.getMessage(), e);
        }
    }

    private static void requireKnownSetting(String key, String setting) {
        if (!SETTINGS.containsKey(setting)) {
            throw new IllegalArgumentException("unknown key " + key + ": '" + setting
                    + "' is not a guard setting; expected one of " + SETTINGS.keySet());
        }
    }

    private static void checkName(String key, String name) {
        if (!Names.isValid(name)) {
            throw new IllegalArgumentException("bad key " + key + ": name '" + name
                    + "' must match " + Names.NAME.pattern());
        }
    }

    private static Map<String, BiConsumer<GuardConfig.Builder, String>> settings() {
        Map<String, BiConsumer<GuardConfig.Builder, String>> s = new LinkedHashMap<>();
        s.put("sliding-window-type", (b, v) -> b.slidingWindowType(parseWindowType(v)));
        s.put("sliding-window-size", (b, v) -> b.slidingWindowSize(parse(v, Integer::parseInt, "an integer")));
        s.put("minimum-number-of-calls", (b, v) -> b.minimumNumberOfCalls(parse(v, Integer::parseInt, "an integer")));
        s.put("failure-rate-threshold", (b, v) -> b.failureRateThreshold(parse(v, Float::parseFloat, "a number")));
        s.put("slow-call-rate-threshold", (b, v) -> b.slowCallRateThreshold(parse(v, Float::parseFloat, "a number")));
        s.put("slow-call-duration-threshold", (b, v) -> b.slowCallDurationThreshold(parseDuration(v)));
        s.put("permitted-calls-in-half-open-state",
                (b, v) -> b.permittedCallsInHalfOpenState(parse(v, Integer::parseInt, "an integer")));
        s.put("max-wait-in-half-open-state", (b, v) -> b.maxWaitInHalfOpenState(parseDuration(v)));
        s.put("wait-duration-in-open-state", (b, v) -> b.waitDurationInOpenState(parseDuration(v)));
        s.put("automatic-transition-to-half-open", (b, v) -> b.automaticTransitionToHalfOpen(parseBoolean(v)));
        s.put("retry-max-attempts", (b, v) -> b.retryMaxAttempts(parse(v, Integer::parseInt, "an integer")));
        s.put("retry-initial-interval", (b, v) -> b.retryInitialInterval(parseDuration(v)));
        s.put("retry-multiplier", (b, v) -> b.retryMultiplier(parse(v, Double::parseDouble, "a number")));
        s.put("retry-randomization-factor",
                (b, v) -> b.retryRandomizationFactor(parse(v, Double::parseDouble, "a number")));
        s.put("retry-max-interval", (b, v) -> b.retryMaxInterval(parseDuration(v)));
        s.put("timeout", (b, v) -> {
            if (v.equalsIgnoreCase("none")) {
                b.withoutTimeout();
            } else {
                b.timeout(parseDuration(v));
            }
        });
        s.put("bulkhead-max-concurrent-calls", (b, v) -> {
            if (v.equalsIgnoreCase("none")) {
                b.withoutBulkhead();
            } else {
                b.bulkheadMaxConcurrentCalls(parse(v, Integer::parseInt, "an integer"));
            }
        });
        s.put("bulkhead-max-wait", (b, v) -> b.bulkheadMaxWait(parseDuration(v)));
        return Collections.unmodifiableMap(s);
    }

    private static <T> T parse(String value, Function<String, T> parser, String expected) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected " + expected + " but was '" + value + "'");
        }
    }

    private static boolean parseBoolean(String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("expected true or false but was '" + value + "'");
    }

    private static SlidingWindowType parseWindowType(String value) {
        String normalised = value.toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return SlidingWindowType.valueOf(normalised);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected count-based or time-based but was '" + value + "'");
        }
    }

    /**
     * Parses {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or an ISO-8601 duration.
     *
     * @throws IllegalArgumentException naming the value when it is neither
     */
    public static Duration parseDuration(String value) {
        Matcher matcher = DURATION.matcher(value);
        try {
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            return Duration.parse(value);
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 5s, 2m or PT5S but was '" + value + "'");
        }
    }
}
