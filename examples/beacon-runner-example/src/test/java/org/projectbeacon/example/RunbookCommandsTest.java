package org.projectbeacon.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectbeacon.example.RunbookCommands.Command;

class RunbookCommandsTest {

    @Test
    void bashBlockLinesAndCommandSpansAreCommandsProseAndTranscriptsAreNot() {
        List<String> runbook = List.of(
                "Run in the runner's directory; `runner.env` holds the settings, `redis-cli -u` takes a URI.",
                "1. Check: `curl -s localhost:8080/health/ready` and `outbox_unpublished_count`",
                "```bash",
                "# a comment",
                "curl -X POST localhost:8080/reset \\",
                "  -H \"Authorization: Bearer $ADMIN_TOKEN\"",
                "",
                "grep x runner.log | tail",
                "```",
                "```console",
                "$ curl -s localhost:8080/metrics",
                "```",
                "2. Restart IPFS: `ipfs daemon --init`",
                "**Drill**: `kill -9` the runner under `java -cp x.jar LoadGenerator --duration 15m`");

        assertThat(RunbookCommands.commands(runbook)).containsExactly(
                new Command(2, "curl -s localhost:8080/health/ready"),
                new Command(5, "curl -X POST localhost:8080/reset \\\n  -H \"Authorization: Bearer $ADMIN_TOKEN\"\n"),
                new Command(8, "grep x runner.log | tail\n"),
                new Command(13, "ipfs daemon --init"));
        assertThat(RunbookCommands.DRILL_LINE).as("drill lines are drills.sh's, not on-call steps").isEqualTo("**Drill**:");
    }

    @Test
    void aSpanIsACommandByItsFirstWord() {
        assertThat(RunbookCommands.isCommand("[ -z \"$X\" ] || true")).isTrue();
        assertThat(RunbookCommands.isCommand("nohup java -jar x.jar &")).isTrue();
        assertThat(RunbookCommands.isCommand("$ADMIN_TOKEN")).isFalse();
        assertThat(RunbookCommands.isCommand("/health/ready")).isFalse();
        assertThat(RunbookCommands.isCommand("NOGROUP")).isFalse();
    }
}
