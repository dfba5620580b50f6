package org.projectbeacon.example.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One injected fault of a runbook drill.
 *
 * @param target what it affects: {@code provider} (negotiation in one region or {@code *}),
 *     {@code ipfs} (bundle fetches), {@code api} (the job API's responses), {@code publisher}
 *     (the outbox publisher), {@code sink} (the stream the outbox publishes to) or {@code metrics}
 *     (the {@code /metrics} endpoint, so the scrape fails and {@code up} is 0)
 * @param region for {@code provider}: the region, or {@code *} for all
 * @param failureRate the share of calls that fail, in [0, 1]
 * @param latencyMs added latency in milliseconds, in [0, 60000]
 * @param paused for {@code publisher}: stop publishing
 * @param down for {@code sink} and {@code metrics}: fail every call
 */
public record Fault(String target, String region, double failureRate, long latencyMs, boolean paused, boolean down) {

    /** The targets a fault may name. */
    public static final Set<String> TARGETS = Set.of("provider", "ipfs", "api", "publisher", "sink", "metrics");

    private static final java.util.regex.Pattern REGION = java.util.regex.Pattern.compile("\\*|[A-Za-z0-9_-]{1,32}");

    /** Validates the fields, naming the bad one and its value. */
    public Fault {
        if (target == null || !TARGETS.contains(target)) {
            throw new IllegalArgumentException("target must be one of " + new java.util.TreeSet<>(TARGETS) + " but was "
                    + (target == null ? "missing" : "'" + target + "'"));
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("failure_rate must be in [0, 1] but was " + failureRate);
        }
        if (latencyMs < 0 || latencyMs > 60_000) {
            throw new IllegalArgumentException("latency_ms must be in [0, 60000] but was " + latencyMs);
        }
        if (region != null && !REGION.matcher(region).matches()) {
            // Logged and echoed back: a region is a plain name, never a line break or markup.
            throw new IllegalArgumentException("region must be a region name such as \"lhr\" or \"*\" but was '"
                    + (region.length() > 40 ? region.substring(0, 40) + "…" : region).replaceAll("\\p{Cntrl}", "?") + "'");
        }
        if ("provider".equals(target) && (region == null || region.isBlank())) {
            throw new IllegalArgumentException("region is required for target provider (a region or \"*\")");
        }
    }

    /** Reads a fault from the JSON body of {@code POST /api/v1/admin/faults}. */
    public static Fault fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object such as {\"target\":\"ipfs\",\"latency_ms\":3000}");
        }
        for (var names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!Set.of("target", "region", "failure_rate", "latency_ms", "paused", "down").contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'");
            }
        }
        return new Fault(
                text(json, "target"),
                text(json, "region"),
                number(json, "failure_rate"),
                (long) number(json, "latency_ms"),
                bool(json, "paused"),
                bool(json, "down"));
    }

    /** This fault as JSON fields. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("target", target);
        if (region != null) {
            json.put("region", region);
        }
        json.put("failure_rate", failureRate);
        json.put("latency_ms", latencyMs);
        json.put("paused", paused);
        json.put("down", down);
        return json;
    }

    /** The key under which the fault is kept: one per target and region. */
    public String key() {
        return region == null ? target : target + ":" + region;
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string but was " + node);
        }
        return node.asText();
    }

    private static double number(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isNumber()) {
            throw new IllegalArgumentException(field + " must be a number but was " + node);
        }
        return node.asDouble();
    }

    private static boolean bool(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false but was " + node);
        }
        return node.asBoolean();
    }
}
