package org.projectbeacon.maven.check;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.projectbeacon.maven.rules.Rule;
import org.projectbeacon.maven.runbook.RunbookSection;

/** {@code duration-mismatch}: the runbook's stated duration is neither the alert's {@code for} nor one of its ranges. */
final class DurationMismatchCheck implements Check {

    @Override
    public CheckId id() {
        return CheckId.DURATION_MISMATCH;
    }

    @Override
    public List<Finding> rule(CheckedRule checked, CheckContext context) {
        Rule rule = checked.rule();
        RunbookSection section = context.sections().get(rule.name());
        if (!rule.alert() || checked.expr() == null || section == null || section.symptoms() == null) {
            return List.of();
        }
        Duration stated = Symptoms.parse(section.symptoms()).duration();
        if (stated == null) {
            return List.of();
        }
        List<Duration> windows = Expressions.windows(checked.expr());
        if (stated.equals(rule.forDuration()) || windows.contains(stated)) {
            return List.of();
        }
        return List.of(Finding.of(id(), checked.file(), rule.line(), 0, rule.name(), null,
                "runbook (" + ThresholdMismatchCheck.where(context, section) + ") says " + Expressions.human(stated)
                        + " but " + rule.name() + " has "
                        + (rule.forDuration() == null ? "no 'for'" : "for: " + Expressions.human(rule.forDuration()))
                        + (windows.isEmpty() ? "" : " and windows " + windows.stream().map(Expressions::human)
                                .collect(Collectors.joining(", ", "[", "]")))));
    }
}
