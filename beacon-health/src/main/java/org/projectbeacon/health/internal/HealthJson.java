package org.projectbeacon.health.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.projectbeacon.health.HealthReport;
import org.projectbeacon.health.ServiceHealth;
import org.projectbeacon.resilience.BreakerSnapshot;

/**
 * The JSON shapes of the health and admin endpoints, in one place: the report of
 * {@code /health/ready} and the breaker snapshot that both it and the admin API show.
 */
public final class HealthJson {

    /** The shared mapper; thread-safe once configured. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private HealthJson() {}

    /** {@code {"status":..., "checked_at":..., "services":[...]}}. */
    public static Map<String, Object> report(HealthReport report) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", report.status().name());
        json.put("checked_at", instant(report.checkedAt()));
        List<Map<String, Object>> services = new ArrayList<>(report.services().size());
        for (ServiceHealth service : report.services()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", service.name());
            entry.put("status", service.status().name());
            entry.put("critical", service.critical());
            entry.put("latency_ms", service.latency() == null ? null : service.latency().toNanos() / 1e6);
            entry.put("error", service.error());
            entry.put("circuit_breaker_stats", service.breaker() == null ? null : breakerStats(service.breaker()));
            entry.put("details", service.details());
            entry.put("checked_at", instant(service.checkedAt()));
            services.add(entry);
        }
        json.put("services", services);
        return json;
    }

    /** The runbook's {@code circuit_breaker_stats}: rates are null below the minimum number of calls. */
    public static Map<String, Object> breakerStats(BreakerSnapshot snapshot) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", snapshot.state().name());
        json.put("failure_rate", snapshot.failureRate());
        json.put("slow_call_rate", snapshot.slowCallRate());
        json.put("buffered_calls", snapshot.bufferedCalls());
        json.put("failed_calls", snapshot.failedCalls());
        json.put("slow_calls", snapshot.slowCalls());
        json.put("not_permitted_calls", snapshot.notPermittedCalls());
        json.put("since", instant(snapshot.since()));
        if (snapshot.forcedOpenUntil() != null) {
            json.put("forced_open_until", instant(snapshot.forcedOpenUntil()));
        }
        return json;
    }

    /** A breaker snapshot with its name, for the admin API. */
    public static Map<String, Object> namedBreaker(BreakerSnapshot snapshot) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", snapshot.name());
        json.putAll(breakerStats(snapshot));
        return json;
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
