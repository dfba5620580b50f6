package org.projectbeacon.maven.check;

import java.util.List;

/** Reports the findings of one id that loading the rule files produced ({@code yaml-syntax}, {@code rule-schema}). */
abstract class LoadFindingsCheck implements Check {

    @Override
    public List<Finding> project(CheckContext context) {
        return context.loadFindings().stream().filter(f -> f.check() == id()).toList();
    }
}
