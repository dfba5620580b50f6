package org.projectbeacon.spring.boot.autoconfigure;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.projectbeacon.outbox.DeadLetterFilter;
import org.projectbeacon.outbox.DeadLetterQueue;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * Actuator endpoint {@code beacondlq}: the dead letter queue's size and failure patterns (as
 * {@code GET /api/v1/admin/dlq/patterns}), and a requeue of every dead letter (as
 * {@code POST /api/v1/admin/dlq/requeue} with no filter). Over HTTP it requires the admin bearer
 * token. A database error surfaces as Actuator's 500. Thread-safe.
 */
@Endpoint(id = BeaconDeadLettersEndpoint.ID)
public class BeaconDeadLettersEndpoint {

    /** The endpoint id. */
    public static final String ID = "beacondlq";

    private final DeadLetterQueue deadLetters;

    /**
     * An endpoint over {@code deadLetters}.
     *
     * @param deadLetters the dead letter queue
     */
    public BeaconDeadLettersEndpoint(DeadLetterQueue deadLetters) {
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    }

    /**
     * @return {@code {"count": n, "patterns": [...]}}
     * @throws SQLException when the database cannot be read
     */
    @ReadOperation
    public Map<String, Object> patterns() throws SQLException {
        List<Map<String, Object>> patterns = deadLetters.failurePatterns(DeadLetterFilter.all()).stream().map(p -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("error_class", p.errorClass());
            json.put("pattern", p.errorPattern());
            json.put("count", p.count());
            json.put("first_seen", String.valueOf(p.firstSeen()));
            json.put("last_seen", String.valueOf(p.lastSeen()));
            return json;
        }).toList();
        return Map.of("count", deadLetters.count(DeadLetterFilter.all()), "patterns", patterns);
    }

    /**
     * @return {@code {"requeued": n}}
     * @throws SQLException when the database cannot be written
     */
    @WriteOperation
    public Map<String, Object> requeue() throws SQLException {
        return Map.of("requeued", deadLetters.requeue(DeadLetterFilter.all()));
    }
}
