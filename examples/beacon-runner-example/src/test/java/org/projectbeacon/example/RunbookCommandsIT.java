package org.projectbeacon.example;

import java.nio.file.Path;

/** Every command of the runbook, verbatim, against the plain runner's jar: see {@link RunbookCommandsHarness}. */
class RunbookCommandsIT extends RunbookCommandsHarness {

    RunbookCommandsIT() {
        super(Path.of("docs", "runbook.md"), "beacon-runner-example");
    }
}
