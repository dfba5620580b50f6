/**
 * A parser for the Prometheus expression language (PromQL) and the immutable syntax tree it builds.
 *
 * <p>{@link org.projectbeacon.maven.promql.PromQlParser#parse(String)} turns an expression into an
 * {@link org.projectbeacon.maven.promql.Expr}, or throws a
 * {@link org.projectbeacon.maven.promql.PromQlSyntaxException} naming the line, column and
 * offending token. The grammar follows Prometheus 2.x and 3.x, including the checks Prometheus' own
 * parser makes (operand types, function arity, modifier placement), so an expression this parser
 * accepts is one {@code promtool check rules} accepts, and the other way round; the exceptions are
 * listed on {@link org.projectbeacon.maven.promql.PromQlParser}.
 *
 * <p>Tree nodes are records: compare them with {@code equals}, walk them with
 * {@link org.projectbeacon.maven.promql.Expr#children()},
 * {@link org.projectbeacon.maven.promql.Expr#nodes()} or an
 * {@link org.projectbeacon.maven.promql.ExprVisitor}, and print them back as PromQL with
 * {@code toString()}. Lexer and parser are package-private: the types above are the whole API.
 */
package org.projectbeacon.maven.promql;
