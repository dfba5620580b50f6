package org.projectbeacon.resilience.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunnerMetricsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RunnerMetrics metrics = RunnerMetrics.create();

    @Test
    void theJobMetersExistAtZeroFromBinding() {
        metrics.bindTo(meters);

        assertThat(count(CoreMetricCatalog.JOBS_ENQUEUED)).isZero();
        for (JobOutcome outcome : JobOutcome.values()) {
            assertThat(count(CoreMetricCatalog.JOBS_PROCESSED, "outcome", outcome.tagValue())).isZero();
        }
    }

    @Test
    void namedRegionsGetTheirNegotiationMetersAtZeroForBothOutcomes() {
        metrics.bindTo(meters);

        metrics.regions(List.of("lhr", "fra", "ams"));

        for (String region : List.of("lhr", "fra", "ams")) {
            for (JobOutcome outcome : JobOutcome.values()) {
                assertThat(count(CoreMetricCatalog.NEGOTIATION_PROBES, "region", region, "outcome", outcome.tagValue()))
                        .as(region + " " + outcome).isZero();
            }
            assertThat(count(CoreMetricCatalog.NEGOTIATION_OFFERS_SEEN, "region", region)).isZero();
        }
    }

    @Test
    void recordingAfterRegistrationCountsIntoTheSameMeters() {
        metrics.bindTo(meters);
        metrics.regions(List.of("lhr"));
        metrics.regions(List.of("lhr"));

        metrics.negotiationProbe("lhr", JobOutcome.FAILURE);
        metrics.offersSeen("lhr", 3);

        assertThat(count(CoreMetricCatalog.NEGOTIATION_PROBES, "region", "lhr", "outcome", "failure")).isEqualTo(1.0);
        assertThat(count(CoreMetricCatalog.NEGOTIATION_PROBES, "region", "lhr", "outcome", "success")).isZero();
        assertThat(count(CoreMetricCatalog.NEGOTIATION_OFFERS_SEEN, "region", "lhr")).isEqualTo(3.0);
        assertThat(meters.find(CoreMetricCatalog.NEGOTIATION_PROBES).counters()).hasSize(2);
    }

    @Test
    void regionsBeforeBindingRegisterNothingAndBindingStillWorks() {
        metrics.regions(List.of("lhr"));
        metrics.bindTo(meters);

        assertThat(meters.find(CoreMetricCatalog.NEGOTIATION_PROBES).counters()).isEmpty();
        metrics.regions(List.of("lhr"));
        assertThat(meters.find(CoreMetricCatalog.NEGOTIATION_PROBES).counters()).hasSize(2);
    }

    @Test
    void aBlankRegionIsRefusedByName() {
        metrics.bindTo(meters);

        assertThatThrownBy(() -> metrics.regions(Arrays.asList("lhr", " ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("regions")
                .hasMessageContaining("[lhr,  ]");
    }

    private double count(String name, String... tags) {
        Counter counter = meters.find(name).tags(tags).counter();
        assertThat(counter).as(name + " " + Arrays.toString(tags)).isNotNull();
        return counter.count();
    }
}
