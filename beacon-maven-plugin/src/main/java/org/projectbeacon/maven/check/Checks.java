package org.projectbeacon.maven.check;

import java.util.List;

/** Every check of {@code verify-alerts}, one per {@link CheckId}, in the enum's order. */
public final class Checks {

    private static final List<Check> ALL = List.of(
            new YamlSyntaxCheck(),
            new RuleSchemaCheck(),
            new PromQlSyntaxCheck(),
            new AlertWithoutRunbookCheck(),
            new RunbookWithoutAlertCheck(),
            new MissingRunbookUrlCheck(),
            new BrokenRunbookUrlCheck(),
            new UnknownMetricCheck(),
            new MetricTypeMismatchCheck(),
            new ThresholdMismatchCheck(),
            new DurationMismatchCheck(),
            new UnknownLabelCheck(),
            new UnknownLabelValueCheck(),
            new RangeTooShortCheck(),
            new TemplateSyntaxCheck(),
            new TemplateLabelMissingCheck());

    private Checks() {}

    /** The checks; unmodifiable, stateless and shareable between threads. */
    public static List<Check> all() {
        return ALL;
    }
}
