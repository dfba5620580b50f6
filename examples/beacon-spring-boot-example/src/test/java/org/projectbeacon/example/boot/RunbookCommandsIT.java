package org.projectbeacon.example.boot;

import java.nio.file.Path;
import org.projectbeacon.example.RunbookCommandsHarness;

/**
 * Every command of the plain example's runbook, verbatim, against the Spring Boot jar started the same
 * way (runner.env in a temp directory, PostgreSQL, a redis-server of its own), including the restart
 * line after a SIGKILL: see {@link RunbookCommandsHarness}.
 */
class RunbookCommandsIT extends RunbookCommandsHarness {

    RunbookCommandsIT() {
        super(Path.of("..", "beacon-runner-example", "docs", "runbook.md"), "beacon-spring-boot-example");
    }
}
