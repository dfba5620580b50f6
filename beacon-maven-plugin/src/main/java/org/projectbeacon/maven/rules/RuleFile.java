package org.projectbeacon.maven.rules;

import java.nio.file.Path;
import java.util.List;
import org.projectbeacon.maven.check.Finding;

/**
 * What one rule file held: its rules and the problems found reading it.
 *
 * @param file the file
 * @param rules the rules that could be read
 * @param findings {@code yaml-syntax} and {@code rule-schema} findings
 */
public record RuleFile(Path file, List<Rule> rules, List<Finding> findings) {

    /** Copies the lists. */
    public RuleFile {
        rules = List.copyOf(rules);
        findings = List.copyOf(findings);
    }
}
