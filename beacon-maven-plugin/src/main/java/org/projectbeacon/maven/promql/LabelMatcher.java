package org.projectbeacon.maven.promql;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One matcher inside a selector's braces, such as {@code job="api"} or {@code code=~"5.."}.
 * Immutable and thread-safe.
 *
 * @param name  the label name; {@code __name__} matches the metric name
 * @param op    the operator
 * @param value the decoded value: a literal for {@code =} and {@code !=}, a regular expression
 *              (RE2 syntax, anchored at both ends) for {@code =~} and {@code !~}
 * @param span  where the matcher sits, from label name to value
 */
public record LabelMatcher(String name, MatchOp op, String value, Span span) {

    /** The label that holds a series' metric name. */
    public static final String METRIC_NAME_LABEL = "__name__";

    /**
     * Checks for nulls.
     *
     * @throws NullPointerException if an argument is null
     */
    public LabelMatcher {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(span, "span");
    }

    /** Whether this matcher is on the metric name ({@code __name__}). */
    public boolean isMetricName() {
        return METRIC_NAME_LABEL.equals(name);
    }

    /**
     * Whether a label with value {@code labelValue} satisfies this matcher; an absent label counts
     * as the empty string, as in Prometheus.
     *
     * <p>Regular expressions are evaluated with {@link java.util.regex}, anchored and with {@code .}
     * matching newlines as in Prometheus 3; RE2's {@code (?P<name>...)} groups are accepted. RE2
     * syntax the JDK lacks is rare in alert rules and makes this method throw.
     *
     * @throws NullPointerException   if {@code labelValue} is null
     * @throws PatternSyntaxException if the regular expression does not compile in Java
     */
    public boolean matches(String labelValue) {
        Objects.requireNonNull(labelValue, "labelValue");
        return switch (op) {
            case EQUAL -> value.equals(labelValue);
            case NOT_EQUAL -> !value.equals(labelValue);
            case REGEX -> compile(value).matcher(labelValue).matches();
            case NOT_REGEX -> !compile(value).matcher(labelValue).matches();
        };
    }

    /** The matcher as PromQL, such as {@code job="api"}. */
    @Override
    public String toString() {
        return ExprPrinter.print(this);
    }

    static Pattern compile(String re2) {
        // Java spells RE2's named groups without the P.
        return Pattern.compile(re2.replace("(?P<", "(?<"), Pattern.DOTALL);
    }
}
