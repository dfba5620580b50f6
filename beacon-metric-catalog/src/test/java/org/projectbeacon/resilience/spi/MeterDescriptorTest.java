package org.projectbeacon.resilience.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MeterDescriptorTest {

    @Test
    void countersExportTotalOnceEvenWhenTheNameEndsInTotal() {
        assertThat(MeterDescriptor.counter("jobs.processed", "").prometheusSeries()).containsExactly("jobs_processed_total");
        assertThat(MeterDescriptor.counter("jobs.processed.total", "").prometheusSeries()).containsExactly("jobs_processed_total");
    }

    @Test
    void gaugesTakeTheirBaseUnitUnlessTheNameAlreadyEndsWithIt() {
        assertThat(MeterDescriptor.gauge("outbox.unpublished.count", "").prometheusSeries())
                .containsExactly("outbox_unpublished_count");
        assertThat(MeterDescriptor.gaugeWithUnit("outbox.oldest.unpublished.age", "seconds", "").prometheusSeries())
                .containsExactly("outbox_oldest_unpublished_age_seconds");
        assertThat(MeterDescriptor.gaugeWithUnit("queue.age.seconds", "seconds", "").prometheusSeries())
                .containsExactly("queue_age_seconds");
    }

    @Test
    void timersExportSecondsCountSumMaxAndBucketsOnlyWithAHistogram() {
        assertThat(MeterDescriptor.timer("http.request.duration", false, "").prometheusSeries()).containsExactly(
                "http_request_duration_seconds_count", "http_request_duration_seconds_sum", "http_request_duration_seconds_max");
        assertThat(MeterDescriptor.timer("http.request.duration", true, "").prometheusSeries())
                .contains("http_request_duration_seconds_bucket");
    }

    @Test
    void summariesAndLongTaskTimersFollowMicrometersNaming() {
        var summary = new MeterDescriptor("payload.size", MeterKind.DISTRIBUTION_SUMMARY, "bytes", List.of(), true, "");
        assertThat(summary.prometheusSeries()).containsExactly(
                "payload_size_bytes_count", "payload_size_bytes_sum", "payload_size_bytes_max", "payload_size_bytes_bucket");
        var longTask = new MeterDescriptor("jobs.active", MeterKind.LONG_TASK_TIMER, null, List.of(), false, "");
        assertThat(longTask.prometheusSeries()).containsExactly(
                "jobs_active_seconds_active_count", "jobs_active_seconds_duration_sum", "jobs_active_seconds_max");
    }

    @Test
    void charactersOutsidePrometheusNamesBecomeUnderscores() {
        assertThat(MeterDescriptor.gauge("cache-hit.ratio", "").prometheusBaseName()).isEqualTo("cache_hit_ratio");
    }

    @Test
    void badDescriptorsAreRejectedNamingTheField() {
        assertThatThrownBy(() -> MeterDescriptor.counter("", ""))
                .hasMessageContaining("name must match").hasMessageContaining("but was ''");
        assertThatThrownBy(() -> new MeterDescriptor("x", MeterKind.COUNTER, null, List.of(), true, ""))
                .hasMessage("histogram is only possible for TIMER or DISTRIBUTION_SUMMARY but kind was COUNTER");
        assertThatThrownBy(() -> MeterDescriptor.counter("x", "", " "))
                .hasMessage("tagKeys must not contain a blank key but was [ ]");
    }

    @Test
    void closedValueSetsAreKeptPerTagKeyAndValidated() {
        MeterDescriptor processed = MeterDescriptor.counter("jobs.processed", "", "outcome", "region")
                .withClosedValues("outcome", "success", "failure");
        assertThat(processed.closedValues("outcome")).hasValue(java.util.Set.of("success", "failure"));
        assertThat(processed.closedValues("region")).isEmpty();
        assertThat(processed.closedTagValues().get("outcome")).containsExactly("success", "failure");
        assertThat(MeterDescriptor.counter("x", "").closedTagValues()).isEmpty();
        assertThatThrownBy(() -> processed.withClosedValues("status", "ok"))
                .hasMessage("closedTagValues key must be one of the tagKeys [outcome, region] but was 'status'");
        assertThatThrownBy(() -> processed.withClosedValues("region"))
                .hasMessage("closedTagValues of 'region' must be non-empty and hold no blank value but was []");
        assertThatThrownBy(() -> processed.withClosedValues("region", " "))
                .hasMessage("closedTagValues of 'region' must be non-empty and hold no blank value but was [ ]");
    }
}
