package org.projectbeacon.maven.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.projectbeacon.maven.runbook.Runbook;
import org.projectbeacon.maven.runbook.RunbookSection;

/** {@code runbook-without-alert}: a runbook section declared for an alert no rule defines. */
final class RunbookWithoutAlertCheck implements Check {

    @Override
    public CheckId id() {
        return CheckId.RUNBOOK_WITHOUT_ALERT;
    }

    @Override
    public List<Finding> project(CheckContext context) {
        Set<String> alerts = context.alertNames();
        List<Finding> findings = new ArrayList<>();
        for (Runbook runbook : context.runbooks()) {
            for (RunbookSection section : runbook.sections()) {
                if (section.declared() && !alerts.contains(section.alert())) {
                    findings.add(Finding.of(id(), context.display(runbook.file()), section.line(), 0, section.alert(), null,
                            "runbook section '" + section.heading() + "' is for alert " + section.alert()
                                    + ", which no rule defines"));
                }
            }
        }
        return findings;
    }
}
