package org.projectbeacon.maven.check;

import java.util.List;

/** {@code promql-syntax}: an expression that does not parse, at the parser's line and column. */
final class PromQlSyntaxCheck implements Check {

    @Override
    public CheckId id() {
        return CheckId.PROMQL_SYNTAX;
    }

    @Override
    public List<Finding> rule(CheckedRule rule, CheckContext context) {
        return rule.parseError() == null ? List.of() : List.of(rule.parseError());
    }
}
