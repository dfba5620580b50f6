package org.projectbeacon.maven.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.projectbeacon.maven.check.CheckTesting.alert;
import static org.projectbeacon.maven.check.CheckTesting.findings;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** template-syntax and template-label-missing, true and false positives. */
class TemplateChecksTest {

    @TempDir
    Path dir;

    @Test
    void aBrokenTemplateIsAnErrorAtItsPosition() throws Exception {
        assertThat(findings(dir, CheckId.TEMPLATE_SYNTAX, alert("up == 0", "'{{ $value | humanizePercentage }'")))
                .singleElement().satisfies(f -> {
                    assertThat(f.line()).isEqualTo(7);
                    assertThat(f.column()).isEqualTo(53);
                    assertThat(f.message()).startsWith("annotation summary of A is not a valid template");
                });
        assertThat(findings(dir, CheckId.TEMPLATE_SYNTAX, alert("up == 0", "'{{ $valeu }}'"))).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("undefined variable \"$valeu\""));
        assertThat(findings(dir, CheckId.TEMPLATE_SYNTAX, alert("up == 0", "'{{ humanise $value }}'"))).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("function \"humanise\" not defined"));
    }

    @Test
    void validTemplatesPass() throws Exception {
        String summary = "'{{ if gt $value 0.5 }}{{ $value | humanizePercentage }}{{ else }}low{{ end }} on"
                + " {{ $labels.instance }} {{- /* note */ -}} {{ range query \"up\" }}{{ .Labels.job }}{{ end }}'";
        assertThat(findings(dir, CheckId.TEMPLATE_SYNTAX, alert("up == 0", summary))).isEmpty();
    }

    @Test
    void aLabelTheAggregationDropsIsAnError() throws Exception {
        var found = findings(dir, CheckId.TEMPLATE_LABEL_MISSING,
                alert("'sum(rate(jobs_processed_total[5m])) > 1'", "'jobs fail on {{ $labels.instance }}'"));
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.line()).isEqualTo(7);
            assertThat(f.message()).contains("reads $labels.instance").contains("carry only []");
        });
    }

    @Test
    void labelsThatSurviveArePassedAndUnknownExpressionsAreNotJudged() throws Exception {
        assertThat(findings(dir, CheckId.TEMPLATE_LABEL_MISSING, alert("'max by (instance) (outbox_unpublished_count) > 1"
                + " and on (instance) up == 1'", "'{{ $labels.instance }}'"))).isEmpty();
        assertThat(findings(dir, CheckId.TEMPLATE_LABEL_MISSING, alert("'rate(jobs_processed_total[5m]) > 1'",
                "'{{ $labels.outcome }} {{ $labels.job }}'"))).isEmpty();
        assertThat(findings(dir, CheckId.TEMPLATE_LABEL_MISSING, alert("'sum(node_load1) > 1'",
                "'{{ $labels.instance }}'"), "node_load1")).hasSize(1);
        assertThat(findings(dir, CheckId.TEMPLATE_LABEL_MISSING, alert("'node_load1 > 1'",
                "'{{ $labels.instance }}'"), "node_load1")).isEmpty();
    }

    @Test
    void groupLeftAddsTheIncludedLabels() throws Exception {
        String expr = "'rate(jobs_processed_total[5m]) * on (instance) group_left (region) negotiation_offers_seen_total > 0'";
        assertThat(findings(dir, CheckId.TEMPLATE_LABEL_MISSING, alert(expr, "'{{ $labels.region }} {{ $labels.outcome }}'")))
                .isEmpty();
        String on = "'rate(jobs_processed_total[5m]) > on (instance) rate(jobs_enqueued_total[5m])'";
        assertThat(findings(dir, CheckId.TEMPLATE_LABEL_MISSING, alert(on, "'{{ $labels.outcome }}'"))).hasSize(1);
    }
}
