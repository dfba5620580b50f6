package org.projectbeacon.maven.labels;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.projectbeacon.maven.promql.AggregateExpr;
import org.projectbeacon.maven.promql.AggregateOp;
import org.projectbeacon.maven.promql.BinaryExpr;
import org.projectbeacon.maven.promql.BinaryOp;
import org.projectbeacon.maven.promql.Call;
import org.projectbeacon.maven.promql.Expr;
import org.projectbeacon.maven.promql.ExprVisitor;
import org.projectbeacon.maven.promql.Grouping;
import org.projectbeacon.maven.promql.LabelMatcher;
import org.projectbeacon.maven.promql.MatchOp;
import org.projectbeacon.maven.promql.MatrixSelector;
import org.projectbeacon.maven.promql.NumberLiteral;
import org.projectbeacon.maven.promql.ParenExpr;
import org.projectbeacon.maven.promql.StringLiteral;
import org.projectbeacon.maven.promql.SubqueryExpr;
import org.projectbeacon.maven.promql.UnaryExpr;
import org.projectbeacon.maven.promql.ValueType;
import org.projectbeacon.maven.promql.VectorMatching;
import org.projectbeacon.maven.promql.VectorSelector;

/**
 * Which labels the series of an expression can carry, as Prometheus' engine builds them:
 * selectors carry their metric's labels; {@code by} keeps only its labels and {@code without}
 * drops its own; binary operators keep the left side's labels, or only the {@code on} labels, or
 * the "many" side's plus {@code group_left}/{@code group_right}'s; {@code label_replace} and
 * {@code label_join} add their target; {@code histogram_quantile} drops {@code le}; {@code absent}
 * keeps its equality matchers.
 *
 * <p>One instance per expression tree: it remembers the set of every node it has computed. Not
 * thread-safe. The parser bounds tree depth, so the recursion cannot exhaust the stack.
 */
public final class LabelInference implements ExprVisitor<LabelSet> {

    private static final Set<String> KEEP_FIRST_ARGUMENT_MINUS_LE = Set.of("histogram_quantile", "histogram_fraction");
    private static final Set<String> ADD_SECOND_ARGUMENT = Set.of("label_replace", "label_join");
    private static final Set<String> ABSENT = Set.of("absent", "absent_over_time");
    private static final String LE = "le";

    private final Function<String, LabelSet> metricLabels;
    private final Map<Expr, LabelSet> computed = new IdentityHashMap<>();

    /**
     * An inference reading each metric's labels from {@code metricLabels}, which answers
     * {@link LabelSet#ANY} for a metric it does not know.
     */
    public LabelInference(Function<String, LabelSet> metricLabels) {
        this.metricLabels = metricLabels;
    }

    /** The labels the series of {@code expr} can carry. */
    public LabelSet labels(Expr expr) {
        LabelSet known = computed.get(expr);
        if (known == null) {
            known = expr.accept(this);
            computed.put(expr, known);
        }
        return known;
    }

    @Override
    public LabelSet visitNumberLiteral(NumberLiteral node) {
        return LabelSet.NONE;
    }

    @Override
    public LabelSet visitStringLiteral(StringLiteral node) {
        return LabelSet.NONE;
    }

    @Override
    public LabelSet visitVectorSelector(VectorSelector node) {
        return node.metricName().map(metricLabels).orElse(LabelSet.ANY);
    }

    @Override
    public LabelSet visitMatrixSelector(MatrixSelector node) {
        return labels(node.selector());
    }

    @Override
    public LabelSet visitSubquery(SubqueryExpr node) {
        return labels(node.expr());
    }

    @Override
    public LabelSet visitCall(Call node) {
        if (!node.knownFunction()) {
            return LabelSet.ANY;
        }
        if (node.type() == ValueType.SCALAR || node.function().equals("vector")) {
            return LabelSet.NONE;
        }
        List<Expr> args = node.args();
        if (ABSENT.contains(node.function()) && args.size() == 1) {
            return absent(args.get(0));
        }
        if (ADD_SECOND_ARGUMENT.contains(node.function()) && args.size() >= 2
                && args.get(1).unwrapParens() instanceof StringLiteral target) {
            return labels(args.get(0)).plus(List.of(target.value()));
        }
        for (Expr arg : args) {
            if (arg.type() == ValueType.VECTOR || arg.type() == ValueType.MATRIX) {
                LabelSet labels = labels(arg);
                return KEEP_FIRST_ARGUMENT_MINUS_LE.contains(node.function()) ? labels.minus(List.of(LE)) : labels;
            }
        }
        return LabelSet.NONE;
    }

    private static LabelSet absent(Expr arg) {
        Expr inner = arg.unwrapParens();
        VectorSelector selector = inner instanceof MatrixSelector m ? m.selector()
                : inner instanceof VectorSelector v ? v : null;
        if (selector == null) {
            return LabelSet.NONE;
        }
        List<String> names = new ArrayList<>();
        for (LabelMatcher matcher : selector.matchers()) {
            if (matcher.op() == MatchOp.EQUAL && !matcher.isMetricName()) {
                names.add(matcher.name());
            }
        }
        return LabelSet.closed(names);
    }

    @Override
    public LabelSet visitAggregate(AggregateExpr node) {
        LabelSet inner = labels(node.expr());
        AggregateOp op = node.op();
        if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK || op == AggregateOp.LIMITK || op == AggregateOp.LIMIT_RATIO) {
            return inner;
        }
        Grouping grouping = node.grouping();
        LabelSet result = switch (grouping.mode()) {
            case NONE -> LabelSet.NONE;
            case BY -> LabelSet.closed(grouping.labels());
            case WITHOUT -> inner.minus(grouping.labels());
        };
        if (op == AggregateOp.COUNT_VALUES && node.param().isPresent()
                && node.param().get().unwrapParens() instanceof StringLiteral label) {
            result = result.plus(List.of(label.value()));
        }
        return result;
    }

    @Override
    public LabelSet visitBinary(BinaryExpr node) {
        LabelSet lhs = labels(node.lhs());
        LabelSet rhs = labels(node.rhs());
        boolean lhsScalar = node.lhs().type() == ValueType.SCALAR;
        boolean rhsScalar = node.rhs().type() == ValueType.SCALAR;
        if (lhsScalar || rhsScalar) {
            return lhsScalar && rhsScalar ? LabelSet.NONE : lhsScalar ? rhs : lhs;
        }
        if (node.op() == BinaryOp.OR) {
            return lhs.union(rhs);
        }
        if (node.op().isSetOperator()) {
            return lhs;
        }
        if (node.matching().isEmpty()) {
            return lhs;
        }
        VectorMatching matching = node.matching().get();
        return switch (matching.group()) {
            // Included labels come from the "one" side; where it lacks one, the result lacks it too.
            case LEFT -> lhs.minus(matching.include()).plus(rhs.keep(matching.include()).names());
            case RIGHT -> rhs.minus(matching.include()).plus(lhs.keep(matching.include()).names());
            case NONE -> matching.on() ? lhs.keep(matching.labels()) : lhs.minus(matching.labels());
        };
    }

    @Override
    public LabelSet visitUnary(UnaryExpr node) {
        return labels(node.expr());
    }

    @Override
    public LabelSet visitParen(ParenExpr node) {
        return labels(node.expr());
    }
}
