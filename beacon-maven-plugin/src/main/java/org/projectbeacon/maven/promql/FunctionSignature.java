package org.projectbeacon.maven.promql;

import static org.projectbeacon.maven.promql.ValueType.MATRIX;
import static org.projectbeacon.maven.promql.ValueType.SCALAR;
import static org.projectbeacon.maven.promql.ValueType.STRING;
import static org.projectbeacon.maven.promql.ValueType.VECTOR;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The argument and return types of a function Prometheus knows, taken from Prometheus 3's
 * {@code promql/parser/functions.go} (plus {@code holt_winters}, its 2.x name for
 * {@code double_exponential_smoothing}).
 *
 * <p>{@code variadic} follows Prometheus: 0 means exactly {@code argTypes} arguments; n &gt; 0
 * means the last argument is optional and may repeat up to n times; -1 means it may repeat without
 * limit. Immutable and thread-safe.
 */
record FunctionSignature(String name, List<ValueType> argTypes, int variadic, ValueType returnType) {

    private static final Map<String, FunctionSignature> KNOWN = new HashMap<>();

    static {
        for (String f : List.of("abs", "absent", "acos", "acosh", "asin", "asinh", "atan", "atanh", "ceil",
                "cos", "cosh", "deg", "exp", "floor", "histogram_avg", "histogram_count", "histogram_stddev",
                "histogram_stdvar", "histogram_sum", "ln", "log10", "log2", "rad", "sgn", "sin", "sinh", "sort",
                "sort_desc", "sqrt", "tan", "tanh", "timestamp")) {
            add(f, List.of(VECTOR), 0, VECTOR);
        }
        for (String f : List.of("absent_over_time", "avg_over_time", "changes", "count_over_time", "delta",
                "deriv", "first_over_time", "idelta", "increase", "irate", "last_over_time", "mad_over_time",
                "max_over_time", "min_over_time", "present_over_time", "rate", "resets", "stddev_over_time",
                "stdvar_over_time", "sum_over_time", "ts_of_first_over_time", "ts_of_last_over_time",
                "ts_of_max_over_time", "ts_of_min_over_time")) {
            add(f, List.of(MATRIX), 0, VECTOR);
        }
        for (String f : List.of("day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute",
                "month", "year")) {
            add(f, List.of(VECTOR), 1, VECTOR);
        }
        add("clamp", List.of(VECTOR, SCALAR, SCALAR), 0, VECTOR);
        add("clamp_max", List.of(VECTOR, SCALAR), 0, VECTOR);
        add("clamp_min", List.of(VECTOR, SCALAR), 0, VECTOR);
        add("double_exponential_smoothing", List.of(MATRIX, SCALAR, SCALAR), 0, VECTOR);
        add("holt_winters", List.of(MATRIX, SCALAR, SCALAR), 0, VECTOR);
        add("histogram_fraction", List.of(SCALAR, SCALAR, VECTOR), 0, VECTOR);
        add("histogram_quantile", List.of(SCALAR, VECTOR), 0, VECTOR);
        add("info", List.of(VECTOR, VECTOR), 1, VECTOR);
        add("label_join", List.of(VECTOR, STRING, STRING, STRING), -1, VECTOR);
        add("label_replace", List.of(VECTOR, STRING, STRING, STRING, STRING), 0, VECTOR);
        add("pi", List.of(), 0, SCALAR);
        add("predict_linear", List.of(MATRIX, SCALAR), 0, VECTOR);
        add("quantile_over_time", List.of(SCALAR, MATRIX), 0, VECTOR);
        add("round", List.of(VECTOR, SCALAR), 1, VECTOR);
        add("scalar", List.of(VECTOR), 0, SCALAR);
        add("sort_by_label", List.of(VECTOR, STRING), -1, VECTOR);
        add("sort_by_label_desc", List.of(VECTOR, STRING), -1, VECTOR);
        add("time", List.of(), 0, SCALAR);
        add("vector", List.of(SCALAR), 0, VECTOR);
    }

    private static void add(String name, List<ValueType> argTypes, int variadic, ValueType returnType) {
        KNOWN.put(name, new FunctionSignature(name, argTypes, variadic, returnType));
    }

    /** The signature of {@code name}, or empty for a function Prometheus does not know. */
    static Optional<FunctionSignature> lookup(String name) {
        return Optional.ofNullable(KNOWN.get(name));
    }

    /** The type of the argument at {@code index}, or empty past the last one this function takes. */
    Optional<ValueType> argType(int index) {
        if (index < argTypes.size()) {
            return Optional.of(argTypes.get(index));
        }
        return variadic != 0 && !argTypes.isEmpty() ? Optional.of(argTypes.get(argTypes.size() - 1)) : Optional.empty();
    }
}
