package org.projectbeacon.maven.promql;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A node of a parsed PromQL expression; the root returned by {@link PromQlParser#parse(String)} is
 * one too.
 *
 * <p>Every implementation is an immutable record, so nodes are safe to share between threads and
 * compare with {@code equals} (which includes their {@link #span()}). {@code toString()} prints the
 * node back as PromQL that parses to the same tree, spans aside. Trees the parser builds are at most
 * {@link PromQlParser#MAX_DEPTH} levels deep, so recursive walks over them cannot exhaust the stack.
 */
public sealed interface Expr
        permits NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, SubqueryExpr, Call,
                AggregateExpr, BinaryExpr, UnaryExpr, ParenExpr {

    /** Where this node sits in the parsed text. */
    Span span();

    /** The type of value this node evaluates to. */
    ValueType type();

    /**
     * The direct sub-expressions, in source order; empty for leaves. The list is unmodifiable.
     */
    List<Expr> children();

    /**
     * Calls the {@code visitor} method for this node's type and returns its result.
     *
     * @throws NullPointerException if {@code visitor} is null
     */
    <R> R accept(ExprVisitor<R> visitor);

    /**
     * This node and all its descendants, depth first, each parent before its children and children
     * in source order. Walks iteratively, so any tree depth is fine.
     */
    default Stream<Expr> nodes() {
        List<Expr> out = new ArrayList<>();
        Deque<Expr> pending = new ArrayDeque<>();
        pending.push(this);
        while (!pending.isEmpty()) {
            Expr node = pending.pop();
            out.add(node);
            List<Expr> children = node.children();
            for (int i = children.size() - 1; i >= 0; i--) {
                pending.push(children.get(i));
            }
        }
        return out.stream();
    }

    /**
     * Every instant vector selector in this tree, in source order, including the ones inside range
     * selectors.
     */
    default List<VectorSelector> vectorSelectors() {
        return nodes().filter(VectorSelector.class::isInstance).map(VectorSelector.class::cast).toList();
    }

    /**
     * Every metric name the vector selectors of this tree select by exact name, in order of first
     * appearance: the name written before the braces and the value of each {@code __name__="..."}
     * matcher. Names matched only by regular expression ({@code __name__=~"..."}) are not included;
     * read {@link VectorSelector#matchers()} for those. The set is unmodifiable.
     */
    default Set<String> metricNames() {
        Set<String> names = new LinkedHashSet<>();
        for (VectorSelector selector : vectorSelectors()) {
            selector.name().ifPresent(names::add);
            for (LabelMatcher matcher : selector.matchers()) {
                if (matcher.isMetricName() && matcher.op() == MatchOp.EQUAL) {
                    names.add(matcher.value());
                }
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /**
     * This expression with any enclosing parentheses removed: {@code ((x))} gives {@code x}; any
     * other node gives itself.
     */
    default Expr unwrapParens() {
        Expr e = this;
        while (e instanceof ParenExpr paren) {
            e = paren.expr();
        }
        return e;
    }
}
