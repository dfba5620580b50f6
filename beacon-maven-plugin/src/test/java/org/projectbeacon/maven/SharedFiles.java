package org.projectbeacon.maven;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds files of the read-only {@code ../shared} folder beside the project (the seed runbook and
 * the rule corpus). Where it is missing the test is skipped with a message, except in CI
 * ({@code CI=true}), which always has it: there its absence fails the test. {@code BEACON_SHARED}
 * names the folder when it is elsewhere.
 */
public final class SharedFiles {

    private SharedFiles() {}

    /** The file or folder {@code ../shared/<relative>}. */
    public static Path shared(String relative) {
        // BEACON_SHARED points at it from a checkout elsewhere (a worktree, say).
        String configured = System.getenv("BEACON_SHARED");
        if (configured != null && Files.exists(Paths.get(configured, relative))) {
            return Paths.get(configured, relative);
        }
        for (String base : new String[] {"../../shared", "../shared"}) {
            Path candidate = Paths.get(base, relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("../shared/" + relative + " is missing; CI always has it");
        }
        Assumptions.abort("../shared/" + relative + " is not on this machine; skipping");
        return null;
    }
}
