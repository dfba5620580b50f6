package org.projectbeacon.maven.check;

import java.util.ArrayList;
import java.util.List;
import org.projectbeacon.maven.labels.LabelSet;
import org.projectbeacon.maven.rules.Rule;
import org.projectbeacon.maven.template.AlertTemplate;
import org.projectbeacon.maven.template.TemplateSyntaxException;

/**
 * {@code template-label-missing}: a template reads {@code $labels.X} but no series the alert's
 * expression returns can carry {@code X} (an aggregation dropped it, {@code on()} kept others, the
 * metric never had it), so the text renders empty. The rule's own {@code labels:} are not in
 * {@code $labels}. Only expressions whose labels are fully known are checked.
 */
final class TemplateLabelMissingCheck implements Check {

    @Override
    public CheckId id() {
        return CheckId.TEMPLATE_LABEL_MISSING;
    }

    @Override
    public List<Finding> rule(CheckedRule checked, CheckContext context) {
        Rule rule = checked.rule();
        List<Finding> findings = new ArrayList<>();
        if (!rule.alert() || checked.expr() == null) {
            return findings;
        }
        LabelSet carried = checked.resultLabels();
        if (carried.open()) {
            return findings;
        }
        for (TemplateSyntaxCheck.Templated value : TemplateSyntaxCheck.values(rule)) {
            List<AlertTemplate.LabelReference> references;
            try {
                references = AlertTemplate.parse(value.text());
            } catch (TemplateSyntaxException e) {
                continue; // template-syntax reports it
            }
            for (AlertTemplate.LabelReference reference : references) {
                if (reference.name().startsWith("__") || carried.mayCarry(reference.name())) {
                    continue;
                }
                int[] at = value.locate(rule, reference.offset());
                findings.add(Finding.of(id(), checked.file(), at[0], at[1], rule.name(), null,
                        value.describe(rule) + " reads $labels." + reference.name()
                                + ", but the expression's series carry only " + carried.names()
                                + (rule.labels().containsKey(reference.name()) ? " (the rule's own labels are not in $labels)"
                                        : "; keep it with by (" + reference.name() + ") or drop it from the text")));
            }
        }
        return findings;
    }
}
