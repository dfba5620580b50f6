package org.projectbeacon.maven.check;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.projectbeacon.maven.runbook.RunbookSection;

/** {@code threshold-mismatch}: the runbook's stated comparison ({@code >10%}) is none the alert makes. */
final class ThresholdMismatchCheck implements Check {

    @Override
    public CheckId id() {
        return CheckId.THRESHOLD_MISMATCH;
    }

    @Override
    public List<Finding> rule(CheckedRule checked, CheckContext context) {
        RunbookSection section = context.sections().get(checked.rule().name());
        if (!checked.rule().alert() || checked.expr() == null || section == null || section.symptoms() == null) {
            return List.of();
        }
        Symptoms symptoms = Symptoms.parse(section.symptoms());
        List<Expressions.Comparison> compared = Expressions.comparisons(checked.expr());
        String name = checked.rule().name();
        List<Finding> findings = new ArrayList<>();
        for (Symptoms.Comparison stated : symptoms.thresholds()) {
            boolean agrees = compared.stream().anyMatch(c -> c.operator().equals(stated.operator())
                    && (Expressions.close(c.value(), stated.value())
                            || stated.percent() && Expressions.close(c.value(), stated.value() * 100)));
            if (!agrees) {
                findings.add(Finding.of(id(), checked.file(), checked.rule().line(), 0, name, null,
                        "runbook (" + where(context, section) + ") says '" + stated.written() + "' (" + stated.operator()
                                + " " + Expressions.format(stated.value()) + ") but " + name + " compares "
                                + (compared.isEmpty() ? "nothing to a number" : compared.stream()
                                        .map(c -> c.operator() + " " + Expressions.format(c.value()))
                                        .collect(Collectors.joining(", ")))));
            }
        }
        return findings;
    }

    /** {@code runbook.md:12}: where the section's symptoms stand. */
    static String where(CheckContext context, RunbookSection section) {
        return context.display(context.runbookOf(section).file()) + ":" + section.symptomsLine();
    }
}
