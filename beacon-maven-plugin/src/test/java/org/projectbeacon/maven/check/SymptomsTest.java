package org.projectbeacon.maven.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SymptomsTest {

    @Test
    void theSeedRunbooksSymptoms() {
        Symptoms failures = Symptoms.parse(">10% job failure rate over 5 minutes");
        assertThat(failures.thresholds()).singleElement().satisfies(c -> {
            assertThat(c.operator()).isEqualTo(">");
            assertThat(c.value()).isEqualTo(0.10);
            assertThat(c.percent()).isTrue();
        });
        assertThat(failures.duration()).isEqualTo(Duration.ofMinutes(5));

        Symptoms stuck = Symptoms.parse(">10 jobs unpublished for >5 minutes");
        assertThat(stuck.thresholds()).extracting(Symptoms.Comparison::operator, Symptoms.Comparison::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(">", 10.0));
        assertThat(stuck.duration()).isEqualTo(Duration.ofMinutes(5));

        Symptoms latency = Symptoms.parse("95th percentile >2s");
        assertThat(latency.thresholds()).extracting(Symptoms.Comparison::value).containsExactly(2.0);
        assertThat(latency.duration()).isNull();

        Symptoms probes = Symptoms.parse("<70% probe success rate");
        assertThat(probes.thresholds()).extracting(Symptoms.Comparison::operator, Symptoms.Comparison::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("<", 0.7));

        assertThat(Symptoms.parse("Service unavailable, health checks failing").thresholds()).isEmpty();
    }

    @Test
    void unitsBecomeSeconds() {
        assertThat(Symptoms.parse("p99 >500ms").thresholds().get(0).value()).isEqualTo(0.5);
        assertThat(Symptoms.parse("age >= 5m").thresholds().get(0).value()).isEqualTo(300.0);
        assertThat(Symptoms.parse("errors over 1 hour").duration()).isEqualTo(Duration.ofHours(1));
        assertThat(Symptoms.parse("lag ≥ 3 for 10m").duration()).isEqualTo(Duration.ofMinutes(10));
    }
}
