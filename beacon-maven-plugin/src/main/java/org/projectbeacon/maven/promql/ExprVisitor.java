package org.projectbeacon.maven.promql;

/**
 * An operation over every kind of {@link Expr}, dispatched by {@link Expr#accept(ExprVisitor)}.
 *
 * <p>Because {@link Expr} is sealed, an implementation of this interface covers every node type,
 * and the compiler says so when a new one is added. The visitor decides itself whether to descend
 * into {@link Expr#children()}. Thread-safety is up to the implementation.
 *
 * @param <R> what each visit returns; use {@link Void} and return {@code null} for none
 */
public interface ExprVisitor<R> {

    /** Visits a number literal. */
    R visitNumberLiteral(NumberLiteral node);

    /** Visits a string literal. */
    R visitStringLiteral(StringLiteral node);

    /** Visits an instant vector selector. */
    R visitVectorSelector(VectorSelector node);

    /** Visits a range vector selector. */
    R visitMatrixSelector(MatrixSelector node);

    /** Visits a subquery. */
    R visitSubquery(SubqueryExpr node);

    /** Visits a function call. */
    R visitCall(Call node);

    /** Visits an aggregation. */
    R visitAggregate(AggregateExpr node);

    /** Visits a binary operation. */
    R visitBinary(BinaryExpr node);

    /** Visits a unary operation. */
    R visitUnary(UnaryExpr node);

    /** Visits a parenthesised expression. */
    R visitParen(ParenExpr node);
}
