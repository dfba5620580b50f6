package org.projectbeacon.maven.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.projectbeacon.maven.check.CheckTesting.alert;
import static org.projectbeacon.maven.check.CheckTesting.findings;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** unknown-label and unknown-label-value, true and false positives. */
class LabelChecksTest {

    @TempDir
    Path dir;

    @Test
    void aMatcherOnALabelTheMetricNeverCarriesIsAnError() throws Exception {
        var found = findings(dir, CheckId.UNKNOWN_LABEL,
                alert("'sum(rate(jobs_processed_total{status=\"failure\"}[5m])) > 0'", "x"));
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.line()).isEqualTo(5);
            assertThat(f.column()).isEqualTo(46);
            assertThat(f.metric()).isEqualTo("jobs_processed_total");
            assertThat(f.message()).contains("has no label 'status'").contains("[instance, job, outcome]");
        });
    }

    @Test
    void negativeMatchersAndGroupingClausesCountToo() throws Exception {
        assertThat(findings(dir, CheckId.UNKNOWN_LABEL, alert("'jobs_processed_total{status!=\"ok\"} > 0'", "x")))
                .singleElement().satisfies(f -> assertThat(f.message()).contains("matches every series"));
        assertThat(findings(dir, CheckId.UNKNOWN_LABEL, alert("'sum by (status) (rate(jobs_processed_total[5m])) > 0'", "x")))
                .singleElement().satisfies(f -> assertThat(f.message()).contains("by (status)").contains("'status'"));
    }

    @Test
    void knownLabelsTargetLabelsBucketsAndOpenMetricsPass() throws Exception {
        String rules = alert("'sum by (le, instance) (rate(http_request_duration_seconds_bucket{route=\"/x\", job=\"r\"}[5m]))"
                + " > 0 or node_load1{anything=\"x\"} or up{namespace=\"n\"}'", "x");
        assertThat(findings(dir, CheckId.UNKNOWN_LABEL, rules, "node_load1")).isEmpty();
    }

    @Test
    void externalMetricsWithALabelListAreChecked() throws Exception {
        String rules = alert("'node_filesystem_avail_bytes{mountpoint=\"/\", fstype=\"ext4\"} < 1'", "x");
        assertThat(findings(dir, CheckId.UNKNOWN_LABEL, rules, "node_filesystem_avail_bytes{device,mountpoint}"))
                .singleElement().satisfies(f -> assertThat(f.message()).contains("'fstype'"));
    }

    @Test
    void recordingRulesCarryOnlyTheLabelsTheirByKeeps() throws Exception {
        String rules = """
                groups:
                  - name: g
                    rules:
                      - record: job:jobs_processed:rate5m
                        expr: sum by (job) (rate(jobs_processed_total[5m]))
                      - alert: A
                        expr: job:jobs_processed:rate5m{outcome="failure"} > 1
                """;
        assertThat(findings(dir, CheckId.UNKNOWN_LABEL, rules)).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("job:jobs_processed:rate5m has no label 'outcome'"));
    }

    @Test
    void aValueOutsideAClosedSetIsAnError() throws Exception {
        assertThat(findings(dir, CheckId.UNKNOWN_LABEL_VALUE, alert("'jobs_processed_total{outcome=\"failed\"} > 0'", "x")))
                .singleElement().satisfies(f -> assertThat(f.message())
                        .contains("never has outcome 'failed'").contains("[failure, success]"));
        assertThat(findings(dir, CheckId.UNKNOWN_LABEL_VALUE,
                alert("'resilience4j_circuitbreaker_state{state=~\"OPEN|HALF_OPEN\"} == 1'", "x")))
                .singleElement().satisfies(f -> assertThat(f.message()).contains("matching /OPEN|HALF_OPEN/"));
    }

    @Test
    void knownValuesMatchingRegexesAndOpenLabelsPass() throws Exception {
        String rules = alert("'jobs_processed_total{outcome=\"failure\", region=\"anything\"} > 0"
                + " or resilience4j_circuitbreaker_state{state=~\"open|half_open\"} or negotiation_probes_total{outcome=~\".*\"}'", "x");
        assertThat(findings(dir, CheckId.UNKNOWN_LABEL_VALUE, rules)).isEmpty();
    }
}
