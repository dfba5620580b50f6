package org.projectbeacon.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/drills.sh} runs for about 18 minutes against real services, so {@code mvn verify}
 * does not run it; this checks that it at least parses ({@code bash -n}) and keeps the alerts it
 * must drill in step with the rule file.
 */
class DrillsScriptTest {

    private static final Path SCRIPT = Path.of("../../scripts/drills.sh");

    @Test
    void theDrillScriptParses() throws Exception {
        Process bash = new ProcessBuilder("bash", "-n", SCRIPT.toString()).redirectErrorStream(true).start();
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.exitValue()).as(output).isZero();
    }

    @Test
    void everyAlertOfTheRulesHasADrillInTheScript() throws Exception {
        String script = Files.readString(SCRIPT);
        var alerts = java.util.regex.Pattern.compile("(?m)^\\s*- alert: (\\w+)")
                .matcher(Files.readString(Path.of("src/main/prometheus/alerts.yml")))
                .results().map(m -> m.group(1)).toList();
        assertThat(alerts).hasSize(8);
        for (String alert : alerts) {
            assertThat(script).as(alert).containsPattern("\\[\\w+\\]=\"[^\"]*\\b" + alert + "\\b");
        }
    }
}
