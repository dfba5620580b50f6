package org.projectbeacon.maven.check;

/** {@code yaml-syntax}: a rule file that is not YAML, with file:line:column (found while loading). */
final class YamlSyntaxCheck extends LoadFindingsCheck {

    @Override
    public CheckId id() {
        return CheckId.YAML_SYNTAX;
    }
}
