package org.projectbeacon.maven.check;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.projectbeacon.maven.rules.Rule;
import org.projectbeacon.maven.template.AlertTemplate;
import org.projectbeacon.maven.template.TemplateSyntaxException;

/**
 * {@code template-syntax}: an alert's label or annotation that Prometheus cannot parse as a
 * template (Go {@code text/template} with Prometheus' functions and variables), which
 * {@code promtool check rules} or Prometheus itself would otherwise report only after the build.
 */
final class TemplateSyntaxCheck implements Check {

    /** The kinds of templated values of an alert, as {@link Rule#valuePosition} names them. */
    static final List<String> KINDS = List.of("labels", "annotations");

    @Override
    public CheckId id() {
        return CheckId.TEMPLATE_SYNTAX;
    }

    @Override
    public List<Finding> rule(CheckedRule checked, CheckContext context) {
        Rule rule = checked.rule();
        List<Finding> findings = new ArrayList<>();
        if (!rule.alert()) {
            return findings;
        }
        for (Templated value : values(rule)) {
            try {
                AlertTemplate.parse(value.text());
            } catch (TemplateSyntaxException e) {
                int[] at = value.locate(rule, e.offset());
                findings.add(Finding.of(id(), checked.file(), at[0], at[1], rule.name(), null,
                        value.describe(rule) + " is not a valid template: " + e.getMessage()));
            }
        }
        return findings;
    }

    /**
     * One templated value of an alert.
     *
     * @param kind {@code labels} or {@code annotations}
     * @param name the label or annotation name
     * @param text the template
     */
    record Templated(String kind, String name, String text) {

        /** {@code annotation summary of HighJobFailureRate}. */
        String describe(Rule rule) {
            return kind.substring(0, kind.length() - 1) + " " + name + " of " + rule.name();
        }

        /** The file line and column of {@code offset} in the template. */
        int[] locate(Rule rule, int offset) {
            return TemplateSyntaxCheck.locate(rule, kind, name, text, offset);
        }
    }

    /** The labels, then the annotations, of {@code rule}, each sorted by name so findings come in a stable order. */
    static List<Templated> values(Rule rule) {
        List<Templated> values = new ArrayList<>();
        for (String kind : KINDS) {
            new TreeMap<>(kind.equals("labels") ? rule.labels() : rule.annotations())
                    .forEach((name, text) -> values.add(new Templated(kind, name, text)));
        }
        return values;
    }

    private static int[] locate(Rule rule, String kind, String name, String value, int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset && i < value.length(); i++) {
            if (value.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        Rule.ExprPosition start = rule.valuePosition(kind, name);
        return start.column() == 0 ? new int[] {start.line(), 0} : start.locate(line, column);
    }
}
