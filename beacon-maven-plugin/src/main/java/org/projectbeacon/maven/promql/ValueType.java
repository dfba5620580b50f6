package org.projectbeacon.maven.promql;

/**
 * The type of value a PromQL expression evaluates to.
 *
 * <p>The parser uses these types the way Prometheus does, to reject for instance
 * {@code rate(foo)} (an instant vector where a range vector is needed). Immutable and thread-safe.
 */
public enum ValueType {
    /** A single number, such as {@code 5} or {@code time()}. */
    SCALAR("scalar"),
    /** A set of series with one sample each, such as {@code up} or {@code sum(up)}. */
    VECTOR("instant vector"),
    /** A set of series with a range of samples each, such as {@code up[5m]}. */
    MATRIX("range vector"),
    /** A string literal, such as {@code "label"}. */
    STRING("string");

    private final String documentedName;

    ValueType(String documentedName) {
        this.documentedName = documentedName;
    }

    /** The name Prometheus' documentation and error messages use, such as {@code range vector}. */
    public String documentedName() {
        return documentedName;
    }
}
