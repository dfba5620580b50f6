package org.projectbeacon.maven.promql;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A recursive-descent parser with precedence climbing for binary operators, over the tokens of
 * {@link Lexer}. It follows Prometheus' {@code generated_parser.y} for the grammar and
 * {@code parser.go}'s {@code checkAST} for the type checks, and stops at the first error.
 *
 * <p>Two limits keep hostile input from exhausting the stack: the parser's own recursion, and the
 * depth of every tree it builds (a left-associative chain such as {@code 1+1+...} is built by a loop
 * but is as deep as it is long), are both capped at {@link PromQlParser#MAX_DEPTH}. One instance
 * parses one expression; not thread-safe.
 */
final class Parser {

    private static final Pattern DECIMAL = Pattern.compile(
            "(?:\\d+(?:_\\d+)*)?(?:\\.(?:\\d+(?:_\\d+)*)?)?(?:[eE][+-]?\\d+(?:_\\d+)*)?");
    private static final Pattern HEX = Pattern.compile("0[xX]_?[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*");
    private static final Pattern OCTAL = Pattern.compile("0[0-7]+(?:_[0-7]+)*");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|y|w|d|h|m|s)");
    private static final Pattern LEGACY_LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final Source source;
    private final List<Token> tokens;
    private final int maxDepth;
    private final Map<Expr, Integer> depths = new IdentityHashMap<>();
    /** Opening parentheses not yet closed, so that an early end can say which one is missing. */
    private final Deque<Token> openParens = new ArrayDeque<>();
    private int pos;
    private int recursion;

    Parser(String input, int maxDepth) {
        this.source = new Source(input);
        this.tokens = Lexer.tokenize(source);
        this.maxDepth = maxDepth;
    }

    Expr parse() {
        if (peek().type() == TokenType.EOF) {
            throw source.error(peek().start(), "empty expression");
        }
        Expr expr = parseExpr(1);
        Token next = peek();
        if (next.type() == TokenType.RIGHT_PAREN) {
            throw source.error(next.start(), "unexpected \")\" without a matching \"(\"");
        }
        if (next.type() != TokenType.EOF) {
            throw source.error(next.start(), "unexpected " + next.describe() + " after a complete expression;"
                    + " expected an operator or the end of the expression");
        }
        return expr;
    }

    // ---- Expressions ----------------------------------------------------------------------------

    /** Parses operands joined by binary operators that bind at least as tightly as {@code minPrecedence}. */
    private Expr parseExpr(int minPrecedence) {
        if (++recursion > maxDepth) {
            throw source.error(peek().start(), "expression nested too deeply: more than " + maxDepth + " levels");
        }
        try {
            Expr lhs = parseUnary();
            while (true) {
                Token opToken = peek();
                BinaryOp op = binaryOp(opToken.type());
                if (op == null || op.precedence() < minPrecedence) {
                    return lhs;
                }
                advance();
                boolean returnBool = accept(TokenType.BOOL) != null;
                Optional<VectorMatching> matching = parseVectorMatching();
                // Left-associative operators take only tighter operators on their right.
                int rhsPrecedence = op.isRightAssociative() ? op.precedence() : op.precedence() + 1;
                Expr rhs = parseExpr(rhsPrecedence);
                lhs = binary(op, opToken, lhs, rhs, returnBool, matching);
            }
        } finally {
            recursion--;
        }
    }

    private Optional<VectorMatching> parseVectorMatching() {
        Token keyword = peek();
        if (keyword.type() == TokenType.GROUP_LEFT || keyword.type() == TokenType.GROUP_RIGHT) {
            throw source.error(keyword.start(), "unexpected " + keyword.describe()
                    + "; it must follow on(...) or ignoring(...)");
        }
        if (keyword.type() != TokenType.ON && keyword.type() != TokenType.IGNORING) {
            return Optional.empty();
        }
        advance();
        List<String> labels = parseLabelList(keyword);
        VectorMatching.Group group = VectorMatching.Group.NONE;
        List<String> include = List.of();
        Token groupToken = peek();
        if (groupToken.type() == TokenType.GROUP_LEFT || groupToken.type() == TokenType.GROUP_RIGHT) {
            advance();
            group = groupToken.type() == TokenType.GROUP_LEFT ? VectorMatching.Group.LEFT : VectorMatching.Group.RIGHT;
            // As in Prometheus, a parenthesis here is always the label list, never the right operand.
            if (peek().type() == TokenType.LEFT_PAREN) {
                include = parseLabelList(groupToken);
            }
        }
        return Optional.of(new VectorMatching(keyword.type() == TokenType.ON, labels, group, include));
    }

    /** A unary sign binds like {@code *}: looser than {@code ^}, tighter than everything else. */
    private Expr parseUnary() {
        Token sign = peek();
        if (sign.type() != TokenType.ADD && sign.type() != TokenType.SUB) {
            return parsePostfix();
        }
        advance();
        Expr operand = parseExpr(BinaryOp.POW.precedence());
        Span span = source.span(sign.start(), operand.span().end());
        if (operand instanceof NumberLiteral number) {
            double value = sign.type() == TokenType.SUB ? -number.value() : number.value();
            return node(new NumberLiteral(value, sign.text() + number.text(), span));
        }
        UnaryOp op = sign.type() == TokenType.SUB ? UnaryOp.MINUS : UnaryOp.PLUS;
        ValueType type = operand.type();
        if (type != ValueType.SCALAR && type != ValueType.VECTOR) {
            throw source.error(sign.start(), "unary expression only allowed on expressions of type scalar or"
                    + " instant vector, got " + type.documentedName());
        }
        return node(new UnaryExpr(op, operand, span));
    }

    /** A primary expression followed by any number of ranges, subqueries, offsets and {@code @}s. */
    private Expr parsePostfix() {
        Expr expr = parsePrimary();
        while (true) {
            switch (peek().type()) {
                case LEFT_BRACKET -> expr = parseRangeOrSubquery(expr);
                case OFFSET -> expr = parseOffset(expr);
                case AT -> expr = parseAt(expr);
                default -> {
                    return expr;
                }
            }
        }
    }

    private Expr parsePrimary() {
        Token t = peek();
        switch (t.type()) {
            case NUMBER -> {
                advance();
                return node(new NumberLiteral(number(t), t.text(), span(t)));
            }
            case DURATION -> {
                advance();
                return node(new NumberLiteral(duration(t).toNanos() / 1e9, t.text(), span(t)));
            }
            case STRING -> {
                advance();
                return node(new StringLiteral(t.value(), span(t)));
            }
            case LEFT_PAREN -> {
                return parseParen();
            }
            case LEFT_BRACE -> {
                return parseVectorSelector(null);
            }
            case IDENTIFIER -> {
                return peek(1).type() == TokenType.LEFT_PAREN ? parseCall() : parseVectorSelector(t);
            }
            case AGGREGATOR -> {
                TokenType next = peek(1).type();
                boolean aggregation = next == TokenType.LEFT_PAREN || next == TokenType.BY || next == TokenType.WITHOUT;
                return aggregation ? parseAggregate() : parseVectorSelector(t);
            }
            // Keywords that Prometheus' grammar also accepts as metric names.
            case METRIC_IDENTIFIER, BY, WITHOUT, AND, OR, UNLESS, OFFSET, START, END -> {
                return parseVectorSelector(t);
            }
            default -> throw unexpected(t, "an expression");
        }
    }

    private Expr parseParen() {
        Token open = advance();
        openParens.push(open);
        Expr inner = parseExpr(1);
        Token close = expect(TokenType.RIGHT_PAREN, "\")\" to close \"(\" at " + source.position(open.start()));
        openParens.pop();
        return node(new ParenExpr(inner, source.span(open.start(), close.end())));
    }

    private Expr parseCall() {
        Token name = advance();
        List<Expr> args = new ArrayList<>();
        Token close = parseArguments(args);
        Call call = new Call(name.text(), args, source.span(name.start(), close.end()));
        FunctionSignature.lookup(call.function()).ifPresent(signature -> checkCall(call, signature));
        return node(call);
    }

    private Expr parseAggregate() {
        Token opToken = advance();
        AggregateOp op = AggregateOp.fromKeyword(opToken.text()).orElseThrow();
        Grouping grouping = parseGrouping();
        List<Expr> args = new ArrayList<>();
        Token close = parseArguments(args);
        int end = close.end();
        if (grouping.mode() == Grouping.Mode.NONE) {
            grouping = parseGrouping();
            if (grouping.mode() != Grouping.Mode.NONE) {
                end = tokens.get(pos - 1).end();
            }
        }
        Span span = source.span(opToken.start(), end);
        int wanted = op.hasParameter() ? 2 : 1;
        if (args.isEmpty()) {
            throw source.error(opToken.start(), "no arguments for aggregate expression \"" + op.keyword() + "\" provided");
        }
        if (args.size() != wanted) {
            throw source.error(opToken.start(), "wrong number of arguments for aggregate expression \""
                    + op.keyword() + "\": expected " + wanted + ", got " + args.size());
        }
        Expr expr = args.get(wanted - 1);
        expectType(expr, ValueType.VECTOR, "aggregation expression");
        Optional<Expr> param = Optional.empty();
        if (op.hasParameter()) {
            param = Optional.of(args.get(0));
            expectType(args.get(0), op.parameterType(), "aggregation parameter");
        }
        return node(new AggregateExpr(op, grouping, param, expr, span));
    }

    private Grouping parseGrouping() {
        Token keyword = peek();
        if (keyword.type() != TokenType.BY && keyword.type() != TokenType.WITHOUT) {
            return Grouping.NONE;
        }
        advance();
        Grouping.Mode mode = keyword.type() == TokenType.BY ? Grouping.Mode.BY : Grouping.Mode.WITHOUT;
        return new Grouping(mode, parseLabelList(keyword));
    }

    /** Parses {@code (expr, ...)} into {@code args} and returns the closing parenthesis. */
    private Token parseArguments(List<Expr> args) {
        Token open = expect(TokenType.LEFT_PAREN, "\"(\"");
        openParens.push(open);
        if (peek().type() != TokenType.RIGHT_PAREN) {
            while (true) {
                args.add(parseExpr(1));
                Token comma = accept(TokenType.COMMA);
                if (comma == null) {
                    break;
                }
                if (peek().type() == TokenType.RIGHT_PAREN) {
                    throw source.error(comma.start(), "trailing comma not allowed in function call arguments");
                }
            }
        }
        Token close = expect(TokenType.RIGHT_PAREN, "\",\" or \")\" to close \"(\" at " + source.position(open.start()));
        openParens.pop();
        return close;
    }

    /** Parses {@code (label, ...)} after {@code by}, {@code without}, {@code on}, {@code ignoring} or a group modifier. */
    private List<String> parseLabelList(Token keyword) {
        Token open = expect(TokenType.LEFT_PAREN, "\"(\" after \"" + keyword.text() + "\"");
        openParens.push(open);
        List<String> labels = new ArrayList<>();
        while (peek().type() != TokenType.RIGHT_PAREN) {
            Token label = advance();
            labels.add(groupingLabel(label));
            if (accept(TokenType.COMMA) == null && peek().type() != TokenType.RIGHT_PAREN) {
                throw unexpected(peek(), "\",\" or \")\" in the label list of \"" + keyword.text() + "\"");
            }
        }
        advance();
        openParens.pop();
        return labels;
    }

    private String groupingLabel(Token t) {
        if (t.type() == TokenType.STRING) {
            return t.value();
        }
        if (t.type() == TokenType.METRIC_IDENTIFIER) {
            throw source.error(t.start(), "invalid label name \"" + t.text() + "\" in grouping: label names cannot contain \":\"");
        }
        // Prometheus accepts every keyword as a label name here: by (on, group) is fine.
        if (t.type() == TokenType.IDENTIFIER || t.type().isKeyword()) {
            return t.text();
        }
        throw unexpected(t, "a label name");
    }

    // ---- Selectors ------------------------------------------------------------------------------

    private Expr parseVectorSelector(Token nameToken) {
        if (nameToken != null) {
            advance();
        }
        int start = nameToken != null ? nameToken.start() : peek().start();
        int end = nameToken != null ? nameToken.end() : start;
        String name = nameToken != null ? nameToken.text() : null;
        List<LabelMatcher> matchers = new ArrayList<>();
        Token open = peek();
        if (open.type() == TokenType.LEFT_BRACE) {
            advance();
            while (peek().type() != TokenType.RIGHT_BRACE) {
                String quotedName = parseMatcher(matchers);
                if (quotedName != null) {
                    if (name != null) {
                        throw metricNameTwice(open, name, quotedName);
                    }
                    name = quotedName;
                }
                if (accept(TokenType.COMMA) == null && peek().type() != TokenType.RIGHT_BRACE) {
                    throw unexpected(peek(), "\",\" or \"}\" in label matchers");
                }
            }
            end = advance().end();
        }
        if (name != null) {
            for (LabelMatcher m : matchers) {
                if (m.isMetricName()) {
                    throw metricNameTwice(open, name, m.value());
                }
            }
        } else if (matchers.stream().allMatch(Parser::matchesEmpty)) {
            // Prometheus refuses selectors that would select every series, usually a typo.
            throw source.error(start, "vector selector must contain at least one non-empty matcher");
        }
        return node(new VectorSelector(Optional.ofNullable(name), matchers, Optional.empty(), Optional.empty(),
                source.span(start, end)));
    }

    /**
     * Parses one matcher into {@code matchers}; returns the metric name instead when the item is
     * a bare quoted string, Prometheus 3's way to write a name that is no identifier.
     */
    private String parseMatcher(List<LabelMatcher> matchers) {
        Token label = advance();
        if (label.type() != TokenType.IDENTIFIER && label.type() != TokenType.STRING) {
            throw unexpected(label, "a label name in label matchers");
        }
        Token opToken = peek();
        MatchOp op = switch (opToken.type()) {
            case ASSIGN -> MatchOp.EQUAL;
            case NEQ -> MatchOp.NOT_EQUAL;
            case EQL_REGEX -> MatchOp.REGEX;
            case NEQ_REGEX -> MatchOp.NOT_REGEX;
            default -> null;
        };
        if (op == null) {
            boolean endOfItem = opToken.type() == TokenType.COMMA || opToken.type() == TokenType.RIGHT_BRACE;
            if (label.type() == TokenType.STRING && endOfItem) {
                return label.value();
            }
            throw unexpected(opToken, "a label matching operator (=, !=, =~ or !~) after label \"" + label.value() + "\"");
        }
        advance();
        Token value = advance();
        if (value.type() != TokenType.STRING) {
            throw unexpected(value, "a quoted label value after \"" + label.value() + opToken.text() + "\"");
        }
        matchers.add(new LabelMatcher(label.value(), op, value.value(), source.span(label.start(), value.end())));
        return null;
    }

    private static boolean matchesEmpty(LabelMatcher matcher) {
        try {
            return matcher.matches("");
        } catch (PatternSyntaxException e) {
            // RE2 syntax Java lacks: assume the matcher is meant to select something.
            return false;
        }
    }

    private PromQlSyntaxException metricNameTwice(Token at, String first, String second) {
        return source.error(at.start(), "metric name must not be set twice: \"" + first + "\" and \"" + second + "\"");
    }

    private Expr parseRangeOrSubquery(Expr base) {
        Token open = advance();
        Duration range = parseDuration("a range such as 5m");
        if (accept(TokenType.COLON) != null) {
            Optional<Duration> step = Optional.empty();
            if (peek().type() != TokenType.RIGHT_BRACKET) {
                step = Optional.of(parseDuration("a subquery step such as 1m, or \"]\""));
            }
            Token close = expect(TokenType.RIGHT_BRACKET, "\"]\" to close the subquery");
            if (base.type() != ValueType.VECTOR) {
                throw source.error(open.start(), "subquery is only allowed on an instant vector, got "
                        + base.type().documentedName() + " instead");
            }
            return node(new SubqueryExpr(base, range, step, Optional.empty(), Optional.empty(),
                    source.span(base.span().start(), close.end())));
        }
        Token close = expect(TokenType.RIGHT_BRACKET, "\":\" or \"]\" after the range");
        if (!(base instanceof VectorSelector selector)) {
            throw source.error(open.start(), "ranges only allowed for vector selectors; for any other expression"
                    + " use a subquery such as [5m:1m]");
        }
        if (selector.offset().isPresent()) {
            throw source.error(open.start(), "no offset modifiers allowed before range");
        }
        if (selector.at().isPresent()) {
            throw source.error(open.start(), "no @ modifiers allowed before range");
        }
        return node(new MatrixSelector(selector, range, source.span(selector.span().start(), close.end())));
    }

    private Expr parseOffset(Expr base) {
        Token keyword = advance();
        boolean negative = accept(TokenType.SUB) != null;
        Duration offset = parseDuration("a duration such as 5m after \"offset\"");
        if (negative) {
            offset = offset.negated();
        }
        Span span = source.span(base.span().start(), tokens.get(pos - 1).end());
        if (base instanceof VectorSelector v && v.offset().isEmpty()) {
            return node(v.withOffset(offset, span));
        }
        if (base instanceof MatrixSelector m && m.offset().isEmpty()) {
            VectorSelector inner = node(m.selector().withOffset(offset, m.selector().span()));
            return node(new MatrixSelector(inner, m.range(), span));
        }
        if (base instanceof SubqueryExpr s && s.offset().isEmpty()) {
            return node(s.withOffset(offset, span));
        }
        if (base instanceof VectorSelector || base instanceof MatrixSelector || base instanceof SubqueryExpr) {
            throw source.error(keyword.start(), "offset may not be set multiple times");
        }
        throw source.error(keyword.start(), "offset modifier must be preceded by an instant vector selector"
                + " or range vector selector or a subquery");
    }

    private Expr parseAt(Expr base) {
        Token keyword = advance();
        AtModifier at;
        Token t = peek();
        if (t.type() == TokenType.START || t.type() == TokenType.END) {
            advance();
            expect(TokenType.LEFT_PAREN, "\"(\" after \"" + t.text() + "\"");
            expect(TokenType.RIGHT_PAREN, "\")\" after \"" + t.text() + "(\"");
            at = t.type() == TokenType.START ? AtModifier.start() : AtModifier.end();
        } else {
            Token sign = accept(TokenType.SUB);
            if (sign == null) {
                accept(TokenType.ADD);
            }
            Token value = advance();
            double seconds;
            if (value.type() == TokenType.NUMBER) {
                seconds = number(value);
            } else if (value.type() == TokenType.DURATION) {
                seconds = duration(value).toNanos() / 1e9;
            } else {
                throw unexpected(value, "a timestamp, start() or end() after \"@\"");
            }
            if (sign != null) {
                seconds = -seconds;
            }
            if (!Double.isFinite(seconds) || Math.abs(seconds) >= Long.MAX_VALUE / 1000.0) {
                throw source.error(value.start(), "timestamp out of bounds for @ modifier: " + value.text());
            }
            at = AtModifier.at(seconds);
        }
        Span span = source.span(base.span().start(), tokens.get(pos - 1).end());
        if (base instanceof VectorSelector v && v.at().isEmpty()) {
            return node(v.withAt(at, span));
        }
        if (base instanceof MatrixSelector m && m.at().isEmpty()) {
            VectorSelector inner = node(m.selector().withAt(at, m.selector().span()));
            return node(new MatrixSelector(inner, m.range(), span));
        }
        if (base instanceof SubqueryExpr s && s.at().isEmpty()) {
            return node(s.withAt(at, span));
        }
        if (base instanceof VectorSelector || base instanceof MatrixSelector || base instanceof SubqueryExpr) {
            throw source.error(keyword.start(), "@ may not be set multiple times");
        }
        throw source.error(keyword.start(), "@ modifier must be preceded by an instant vector selector"
                + " or range vector selector or a subquery");
    }

    // ---- Type checks, as Prometheus' checkAST ---------------------------------------------------

    private Expr binary(BinaryOp op, Token opToken, Expr lhs, Expr rhs, boolean returnBool,
                        Optional<VectorMatching> matching) {
        ValueType lt = lhs.type();
        ValueType rt = rhs.type();
        String opText = "\"" + opToken.text() + "\"";
        if (returnBool && !op.isComparison()) {
            throw source.error(opToken.start(), "bool modifier can only be used on comparison operators, not " + opText);
        }
        if (op.isComparison() && !returnBool && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            throw source.error(opToken.start(), "comparisons between scalars must use the bool modifier: "
                    + opToken.text() + " bool");
        }
        if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
            throw source.error(lhs.span().start(), "binary expression must contain only scalar and instant vector"
                    + " types, but the left operand of " + opText + " is a " + lt.documentedName());
        }
        if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
            throw source.error(rhs.span().start(), "binary expression must contain only scalar and instant vector"
                    + " types, but the right operand of " + opText + " is a " + rt.documentedName());
        }
        if (matching.isPresent()) {
            VectorMatching m = matching.get();
            if (m.on()) {
                for (String label : m.labels()) {
                    if (m.include().contains(label)) {
                        throw source.error(opToken.start(), "label \"" + label + "\" must not occur in ON and GROUP clause at once");
                    }
                }
            }
            if ((lt != ValueType.VECTOR || rt != ValueType.VECTOR) && !m.labels().isEmpty()) {
                throw source.error(opToken.start(), "vector matching only allowed between instant vectors");
            }
            if (op.isSetOperator() && m.group() != VectorMatching.Group.NONE) {
                throw source.error(opToken.start(), "no grouping allowed for " + opText + " operation");
            }
        }
        if (op.isSetOperator() && (lt == ValueType.SCALAR || rt == ValueType.SCALAR)) {
            throw source.error(opToken.start(), "set operator " + opText + " not allowed in binary scalar expression");
        }
        return node(new BinaryExpr(op, lhs, rhs, returnBool, matching,
                source.span(lhs.span().start(), rhs.span().end())));
    }

    private void checkCall(Call call, FunctionSignature signature) {
        int fixed = signature.argTypes().size();
        int given = call.args().size();
        String name = "\"" + call.function() + "\"";
        if (signature.variadic() == 0) {
            if (given != fixed) {
                throw source.error(call.span().start(), "expected " + fixed + " argument(s) in call to " + name
                        + ", got " + given);
            }
        } else {
            int min = fixed - 1;
            if (given < min) {
                throw source.error(call.span().start(), "expected at least " + min + " argument(s) in call to "
                        + name + ", got " + given);
            }
            if (signature.variadic() > 0 && given > min + signature.variadic()) {
                throw source.error(call.span().start(), "expected at most " + (min + signature.variadic())
                        + " argument(s) in call to " + name + ", got " + given);
            }
        }
        for (int i = 0; i < given; i++) {
            Expr arg = call.args().get(i);
            signature.argType(i).ifPresent(type -> expectType(arg, type, "call to function " + name));
        }
    }

    private void expectType(Expr expr, ValueType wanted, String context) {
        // A function Prometheus does not know has no declared type: give it the benefit of the doubt.
        boolean unknownCall = expr.unwrapParens() instanceof Call c && !c.knownFunction();
        if (expr.type() != wanted && !unknownCall) {
            throw source.error(expr.span().start(), "expected type " + wanted.documentedName() + " in " + context
                    + ", got " + expr.type().documentedName());
        }
    }

    // ---- Literals -------------------------------------------------------------------------------

    /** A number the way Prometheus reads one: Go's ParseInt with base prefixes first, then ParseFloat. */
    private double number(Token t) {
        String text = t.text();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.equals("inf")) {
            return Double.POSITIVE_INFINITY;
        }
        if (lower.equals("nan")) {
            return Double.NaN;
        }
        if (HEX.matcher(text).matches()) {
            return new BigInteger(text.substring(2).replace("_", ""), 16).doubleValue();
        }
        if (OCTAL.matcher(text).matches()) {
            return new BigInteger(text.substring(1).replace("_", ""), 8).doubleValue();
        }
        if (DECIMAL.matcher(text).matches() && text.chars().anyMatch(Character::isDigit)
                && !text.startsWith("_") && !text.contains("._") && !text.contains("_.")) {
            try {
                return Double.parseDouble(text.replace("_", ""));
            } catch (NumberFormatException e) {
                // Falls through to the error below: the patterns above should have excluded this.
            }
        }
        throw source.error(t.start(), "bad number \"" + text + "\"");
    }

    private Duration parseDuration(String expected) {
        Token t = advance();
        if (t.type() == TokenType.DURATION) {
            return duration(t);
        }
        if (t.type() == TokenType.NUMBER) {
            // Prometheus 3 reads a plain number here as seconds.
            double seconds = number(t);
            if (!Double.isFinite(seconds) || seconds < 0 || seconds > Long.MAX_VALUE / 1e9) {
                throw source.error(t.start(), "duration out of range: " + t.text());
            }
            return Duration.ofNanos(Math.round(seconds * 1e9));
        }
        throw unexpected(t, expected);
    }

    private Duration duration(Token t) {
        Matcher m = DURATION_PART.matcher(t.text());
        long millis = 0;
        try {
            while (m.find()) {
                long count = Long.parseLong(m.group(1));
                long unit = switch (m.group(2)) {
                    case "ms" -> 1L;
                    case "s" -> 1000L;
                    case "m" -> 60_000L;
                    case "h" -> 3_600_000L;
                    case "d" -> 86_400_000L;
                    case "w" -> 604_800_000L;
                    default -> 31_536_000_000L;
                };
                millis = Math.addExact(millis, Math.multiplyExact(count, unit));
            }
            // Prometheus keeps durations in nanoseconds, so anything past ~292 years is out of range.
            return Duration.ofNanos(Math.multiplyExact(millis, 1_000_000L));
        } catch (ArithmeticException | NumberFormatException e) {
            throw source.error(t.start(), "duration out of range: " + t.text());
        }
    }

    // ---- Tokens and bookkeeping -----------------------------------------------------------------

    private static BinaryOp binaryOp(TokenType type) {
        return switch (type) {
            case POW -> BinaryOp.POW;
            case MUL -> BinaryOp.MUL;
            case DIV -> BinaryOp.DIV;
            case MOD -> BinaryOp.MOD;
            case ATAN2 -> BinaryOp.ATAN2;
            case ADD -> BinaryOp.ADD;
            case SUB -> BinaryOp.SUB;
            case EQLC -> BinaryOp.EQL;
            case NEQ -> BinaryOp.NEQ;
            case LTE -> BinaryOp.LTE;
            case LSS -> BinaryOp.LSS;
            case GTE -> BinaryOp.GTE;
            case GTR -> BinaryOp.GTR;
            case AND -> BinaryOp.AND;
            case UNLESS -> BinaryOp.UNLESS;
            case OR -> BinaryOp.OR;
            default -> null;
        };
    }

    /** Records the depth of a new node and rejects trees deeper than the limit. */
    private <T extends Expr> T node(T expr) {
        int depth = 1;
        for (Expr child : expr.children()) {
            depth = Math.max(depth, depths.getOrDefault(child, 1) + 1);
        }
        if (depth > maxDepth) {
            throw source.error(expr.span().start(), "expression nested too deeply: more than " + maxDepth + " levels");
        }
        depths.put(expr, depth);
        return expr;
    }

    private Span span(Token t) {
        return source.span(t.start(), t.end());
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private Token advance() {
        Token t = tokens.get(pos);
        if (t.type() != TokenType.EOF) {
            pos++;
        }
        return t;
    }

    private Token accept(TokenType type) {
        return peek().type() == type ? advance() : null;
    }

    private Token expect(TokenType type, String expected) {
        Token t = peek();
        if (t.type() != type) {
            throw unexpected(t, expected);
        }
        return advance();
    }

    private PromQlSyntaxException unexpected(Token t, String expected) {
        StringBuilder detail = new StringBuilder("unexpected ").append(t.describe()).append("; expected ").append(expected);
        if (t.type() == TokenType.EOF && !openParens.isEmpty()) {
            detail.append(" (\"(\" at ").append(source.position(openParens.peek().start())).append(" is not closed)");
        }
        return source.error(t.start(), detail.toString());
    }
}
