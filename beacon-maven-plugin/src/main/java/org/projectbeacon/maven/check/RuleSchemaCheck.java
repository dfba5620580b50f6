package org.projectbeacon.maven.check;

/** {@code rule-schema}: rules without alert/record or expr, bad {@code for}, unknown fields (found while loading). */
final class RuleSchemaCheck extends LoadFindingsCheck {

    @Override
    public CheckId id() {
        return CheckId.RULE_SCHEMA;
    }
}
