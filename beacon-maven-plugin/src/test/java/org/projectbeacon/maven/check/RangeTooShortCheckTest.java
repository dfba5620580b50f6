package org.projectbeacon.maven.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.projectbeacon.maven.check.CheckTesting.alert;
import static org.projectbeacon.maven.check.CheckTesting.findings;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RangeTooShortCheckTest {

    @TempDir
    Path dir;

    @Test
    void aWindowUnderTwoScrapesIsAnError() throws Exception {
        assertThat(findings(dir, CheckId.RANGE_TOO_SHORT, alert("'rate(jobs_processed_total[20s]) > 0'", "x")))
                .singleElement().satisfies(f -> {
                    assertThat(f.metric()).isEqualTo("jobs_processed_total");
                    assertThat(f.column()).isEqualTo(21);
                    assertThat(f.message()).contains("[20s]").contains("30s").contains("use [1m]");
                });
        assertThat(findings(dir, CheckId.RANGE_TOO_SHORT, alert("'max_over_time(outbox_unpublished_count[45s]) > 0'", "x")))
                .hasSize(1);
    }

    @Test
    void twoScrapesOrMoreAndOtherFunctionsPass() throws Exception {
        String rules = alert("'rate(jobs_processed_total[1m]) > 0 or increase(jobs_processed_total[5m]) > 0"
                + " or delta(outbox_unpublished_count[20s]) > 0'", "x");
        assertThat(findings(dir, CheckId.RANGE_TOO_SHORT, rules)).isEmpty();
    }
}
