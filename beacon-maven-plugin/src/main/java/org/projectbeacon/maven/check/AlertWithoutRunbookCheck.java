package org.projectbeacon.maven.check;

import java.util.List;

/** {@code alert-without-runbook}: an alert no runbook section declares. */
final class AlertWithoutRunbookCheck implements Check {

    @Override
    public CheckId id() {
        return CheckId.ALERT_WITHOUT_RUNBOOK;
    }

    @Override
    public List<Finding> rule(CheckedRule rule, CheckContext context) {
        String name = rule.rule().name();
        if (!rule.rule().alert() || context.sections().containsKey(name)) {
            return List.of();
        }
        List<String> runbooks = context.runbookPaths().stream().map(p -> String.valueOf(p.getFileName())).toList();
        return List.of(Finding.of(id(), rule.file(), rule.rule().line(), 0, name, null,
                "alert " + name + " has no runbook section; add a heading with **Alert**: `" + name + "` to " + runbooks));
    }
}
