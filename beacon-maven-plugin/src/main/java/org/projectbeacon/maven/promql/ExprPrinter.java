package org.projectbeacon.maven.promql;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Prints trees back as PromQL. The output parses to the same tree (spans aside): the tree keeps
 * its parentheses, so no precedence-driven parentheses need adding. Stateless and thread-safe.
 */
final class ExprPrinter {

    private static final Pattern LEGACY_METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LEGACY_LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    // Words that lex as numbers, or as keywords that cannot start a selector.
    private static final Set<String> NOT_BARE_METRIC_NAMES =
            Set.of("inf", "nan", "on", "ignoring", "group_left", "group_right", "bool", "atan2");
    private static final Set<String> NOT_BARE_LABEL_NAMES = Set.of("inf", "nan");

    private ExprPrinter() {
    }

    static String print(Expr expr) {
        StringBuilder out = new StringBuilder();
        append(out, expr);
        return out.toString();
    }

    static String print(LabelMatcher matcher) {
        return labelName(matcher.name()) + matcher.op().symbol() + quote(matcher.value());
    }

    static String labelList(List<String> labels) {
        StringJoiner joiner = new StringJoiner(", ", "(", ")");
        for (String label : labels) {
            joiner.add(NOT_BARE_LABEL_NAMES.contains(label.toLowerCase(Locale.ROOT)) ? quote(label) : labelName(label));
        }
        return joiner.toString();
    }

    private static void append(StringBuilder out, Expr expr) {
        if (expr instanceof NumberLiteral n) {
            out.append(n.text());
        } else if (expr instanceof StringLiteral s) {
            out.append(quote(s.value()));
        } else if (expr instanceof VectorSelector v) {
            appendSelector(out, v);
            appendModifiers(out, v.at().orElse(null), v.offset().orElse(null));
        } else if (expr instanceof MatrixSelector m) {
            appendSelector(out, m.selector());
            out.append('[').append(duration(m.range())).append(']');
            appendModifiers(out, m.at().orElse(null), m.offset().orElse(null));
        } else if (expr instanceof SubqueryExpr s) {
            append(out, s.expr());
            out.append('[').append(duration(s.range())).append(':');
            s.step().ifPresent(step -> out.append(duration(step)));
            out.append(']');
            appendModifiers(out, s.at().orElse(null), s.offset().orElse(null));
        } else if (expr instanceof Call c) {
            out.append(c.function());
            appendArgs(out, c.args());
        } else if (expr instanceof AggregateExpr a) {
            out.append(a.op().keyword());
            if (a.grouping().mode() != Grouping.Mode.NONE) {
                out.append(' ').append(a.grouping()).append(' ');
            }
            appendArgs(out, a.children());
        } else if (expr instanceof BinaryExpr b) {
            append(out, b.lhs());
            out.append(' ').append(b.op().symbol());
            if (b.returnBool()) {
                out.append(" bool");
            }
            b.matching().ifPresent(m -> out.append(' ').append(m));
            out.append(' ');
            append(out, b.rhs());
        } else if (expr instanceof UnaryExpr u) {
            out.append(u.op().symbol());
            append(out, u.expr());
        } else if (expr instanceof ParenExpr p) {
            out.append('(');
            append(out, p.expr());
            out.append(')');
        } else {
            throw new IllegalStateException("unknown node " + expr.getClass());
        }
    }

    private static void appendArgs(StringBuilder out, List<Expr> args) {
        out.append('(');
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            append(out, args.get(i));
        }
        out.append(')');
    }

    private static void appendSelector(StringBuilder out, VectorSelector v) {
        StringJoiner matchers = new StringJoiner(", ", "{", "}");
        String name = v.name().orElse(null);
        if (name != null && isBareMetricName(name)) {
            out.append(name);
        } else if (name != null) {
            matchers.add(quote(name));
        }
        v.matchers().forEach(m -> matchers.add(print(m)));
        if (name == null || !isBareMetricName(name) || !v.matchers().isEmpty()) {
            out.append(matchers);
        }
    }

    private static void appendModifiers(StringBuilder out, AtModifier at, Duration offset) {
        if (at != null) {
            out.append(' ').append(at);
        }
        if (offset != null) {
            out.append(" offset ").append(duration(offset));
        }
    }

    private static boolean isBareMetricName(String name) {
        return LEGACY_METRIC_NAME.matcher(name).matches()
                && !NOT_BARE_METRIC_NAMES.contains(name.toLowerCase(Locale.ROOT));
    }

    private static String labelName(String name) {
        return LEGACY_LABEL_NAME.matcher(name).matches() ? name : quote(name);
    }

    /** A duration the way Prometheus prints one: {@code 1h30m}, {@code 90d}, {@code -5m}, {@code 0s}. */
    static String duration(Duration d) {
        if (d.isNegative()) {
            return "-" + duration(d.negated());
        }
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long day = 24L * 60 * 60 * 1000;
        // Years and weeks only when exact: 90d reads better than 12w6d.
        ms = unit(out, ms, 365 * day, "y", true);
        ms = unit(out, ms, 7 * day, "w", true);
        ms = unit(out, ms, day, "d", false);
        ms = unit(out, ms, 60L * 60 * 1000, "h", false);
        ms = unit(out, ms, 60L * 1000, "m", false);
        ms = unit(out, ms, 1000, "s", false);
        unit(out, ms, 1, "ms", false);
        return out.toString();
    }

    private static long unit(StringBuilder out, long ms, long size, String name, boolean exactOnly) {
        if (exactOnly && ms % size != 0) {
            return ms;
        }
        long count = ms / size;
        if (count > 0) {
            out.append(count).append(name);
        }
        return ms - count * size;
    }

    /** {@code s} as a double-quoted PromQL string, escaped the way Go's {@code strconv.Quote} does. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
