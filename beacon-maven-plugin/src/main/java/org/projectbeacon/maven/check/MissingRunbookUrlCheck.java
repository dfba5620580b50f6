package org.projectbeacon.maven.check;

import java.util.List;

/** {@code missing-runbook-url}: an alert without a {@code runbook_url} annotation. */
final class MissingRunbookUrlCheck implements Check {

    @Override
    public CheckId id() {
        return CheckId.MISSING_RUNBOOK_URL;
    }

    @Override
    public List<Finding> rule(CheckedRule rule, CheckContext context) {
        String url = rule.rule().annotations().get("runbook_url");
        if (!rule.rule().alert() || url != null && !url.isBlank()) {
            return List.of();
        }
        return List.of(Finding.of(id(), rule.file(), rule.rule().line(), 0, rule.alert(), null,
                "alert " + rule.rule().name() + " has no runbook_url annotation"));
    }
}
