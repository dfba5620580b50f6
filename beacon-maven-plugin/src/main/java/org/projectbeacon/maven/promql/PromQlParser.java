package org.projectbeacon.maven.promql;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Parses Prometheus expressions (PromQL) into an immutable tree of {@link Expr} nodes.
 *
 * <p>The whole expression language of Prometheus 2.x and 3.x is covered: selectors with
 * {@code =}, {@code !=}, {@code =~} and {@code !~} matchers, {@code offset} (also negative),
 * {@code @} with a timestamp, {@code start()} or {@code end()}, ranges, subqueries, function calls,
 * aggregations with {@code by}/{@code without} before or after the arguments, binary operators with
 * Prometheus' precedence, {@code bool}, {@code on}/{@code ignoring} with {@code group_left} and
 * {@code group_right}, unary signs, numbers (decimal, hex, octal, scientific, {@code Inf},
 * {@code NaN}), durations such as {@code 1h30m}, strings in double quotes, single quotes or
 * backticks with Go's escape rules, and {@code #} comments.
 *
 * <p>Beyond the grammar it makes the checks Prometheus' parser makes: operand and argument types
 * ({@code rate(foo)} is an error), the arity of the functions Prometheus knows, where modifiers may
 * stand, and that a selector selects something. It differs from Prometheus in that it accepts
 * function names it does not know (a newer Prometheus may have them), does not validate the syntax
 * of regular expressions, and accepts Prometheus 3's number-as-duration forms ({@code [300]},
 * {@code offset 60}) and durations as numbers ({@code x > 5m}) without a feature flag. Prometheus
 * 3's experimental duration arithmetic ({@code [5m * 2]}, {@code step()}) is not supported.
 *
 * <p>Stateless and thread-safe: {@link #parse(String)} may be called from any number of threads.
 * An expression too deeply nested for the calling thread's stack (but within {@link #MAX_DEPTH}) is
 * parsed again on a short-lived thread of its own with a larger stack, so the result never depends
 * on the caller's stack size.
 */
public final class PromQlParser {

    /**
     * How deeply expressions may nest: the most levels a tree may have, and the most nested
     * sub-expressions the parser will descend into. The deepest expression in a corpus of 1,468 real
     * rules has 14 levels. The limit is what keeps parsing, and any later recursive walk of the tree
     * (record {@code equals}, {@code hashCode}, {@code toString}, visitors), within a default
     * 1 MB thread stack even in the interpreter, which needs one to two KB per level.
     */
    public static final int MAX_DEPTH = 256;

    /** Ample for {@link #MAX_DEPTH} levels, which need about 300 KB when interpreted. */
    private static final long LARGE_STACK_BYTES = 8L * 1024 * 1024;

    private PromQlParser() {
    }

    /**
     * Parses one PromQL expression.
     *
     * <p>Runs in time linear in the input's length. Leading and trailing whitespace and comments
     * are ignored. The tree's spans are offsets into {@code expr}.
     *
     * @param expr the expression, such as {@code sum by (job) (rate(http_requests_total[5m])) > 10}
     * @return the root of the tree
     * @throws NullPointerException   if {@code expr} is null
     * @throws PromQlSyntaxException  if {@code expr} is empty, not valid PromQL, or nested deeper
     *                                than {@link #MAX_DEPTH}; the exception names the line, column
     *                                and offending token of the first error
     */
    public static Expr parse(String expr) {
        Objects.requireNonNull(expr, "expr");
        try {
            return new Parser(expr, MAX_DEPTH).parse();
        } catch (StackOverflowError e) {
            // The interpreter needs about 1 KB of stack per nesting level, so MAX_DEPTH levels do not
            // fit in a thread with a small stack; rather than make the answer depend on the
            // caller's stack, parse again where there is room.
            return parseOnLargeStack(expr);
        }
    }

    private static Expr parseOnLargeStack(String expr) {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread worker = new Thread(null, () -> {
            try {
                outcome.set(new Parser(expr, MAX_DEPTH).parse());
            } catch (RuntimeException | Error e) {
                outcome.set(e);
            }
        }, "promql-deep-parse", LARGE_STACK_BYTES);
        worker.setDaemon(true);
        worker.start();
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                // Parsing is linear in the input and ends soon; finish it and keep the interrupt for the caller.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Object result = outcome.get();
        if (result instanceof Expr parsed) {
            return parsed;
        }
        if (result instanceof RuntimeException e) {
            throw e;
        }
        if (result instanceof StackOverflowError) {
            throw new PromQlSyntaxException("expression nested too deeply to parse", 0, 1, 1);
        }
        throw (Error) result;
    }
}
