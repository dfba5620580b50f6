package org.projectbeacon.health.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.projectbeacon.health.http.AuditEntry;

class AuditTrailTest {

    private static final Instant T0 = Instant.parse("2026-12-03T00:00:00Z");

    private static AuditEntry entry(int second, int status) {
        return new AuditEntry(T0.plusSeconds(second), "POST circuit-breakers/reset", "-", "oncall", "127.0.0.1", status);
    }

    @Test
    void aFloodOfRefusedCallsDoesNotPushAcceptedActionsOut() {
        AuditTrail trail = new AuditTrail(10);
        trail.record(entry(0, 200));
        trail.record(entry(1, 200));
        for (int i = 0; i < 1000; i++) {
            trail.record(entry(2 + i, 401));
        }
        assertThat(trail.latest(100)).hasSize(12).extracting(AuditEntry::status).endsWith(401, 200, 200)
                .filteredOn(status -> status == 401).hasSize(10);
        assertThat(trail.latest(100).get(0).at()).isEqualTo(T0.plusSeconds(1001));
    }

    @Test
    void latestMergesBothRingsNewestFirstAndKeepsTheBound() {
        AuditTrail trail = new AuditTrail(3);
        trail.record(entry(0, 200));
        trail.record(entry(1, 401));
        trail.record(entry(2, 200));
        trail.record(entry(3, 200));
        trail.record(entry(4, 200));
        assertThat(trail.latest(10)).extracting(e -> e.at().getEpochSecond() - T0.getEpochSecond())
                .containsExactly(4L, 3L, 2L, 1L);
        assertThat(trail.latest(2)).hasSize(2);
        assertThatThrownBy(() -> new AuditTrail(0)).hasMessage("capacity must be at least 1 but was 0");
    }
}
