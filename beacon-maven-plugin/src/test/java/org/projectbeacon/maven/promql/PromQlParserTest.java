package org.projectbeacon.maven.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PromQlParserTest {

    // ---- Precedence and associativity ------------------------------------------------------------

    @ParameterizedTest(name = "{0}  =>  {1}")
    @CsvSource(delimiter = '|', value = {
            "a + b * c               | (+ a (* b c))",
            "a * b + c               | (+ (* a b) c)",
            "a - b - c               | (- (- a b) c)",
            "a / b * c % d           | (% (* (/ a b) c) d)",
            "a ^ b ^ c               | (^ a (^ b c))",
            "a * b ^ c               | (* a (^ b c))",
            "a atan2 b * c           | (* (atan2 a b) c)",
            "a + b atan2 c           | (+ a (atan2 b c))",
            "a > b + c               | (> a (+ b c))",
            "a == b != c             | (!= (== a b) c)",
            "a < b >= c <= d > e     | (> (<= (>= (< a b) c) d) e)",
            "a and b > c             | (and a (> b c))",
            "a or b and c            | (or a (and b c))",
            "a and b or c            | (or (and a b) c)",
            "a unless b and c        | (and (unless a b) c)",
            "a or b or c             | (or (or a b) c)",
            "a or b unless c + d * e ^ f | (or a (unless b (+ c (* d (^ e f)))))",
            "(a + b) * c             | (* (paren (+ a b)) c)",
            "-a ^ b                  | (u- (^ a b))",
            "-a * b                  | (* (u- a) b)",
            "a * -b * c              | (* (* a (u- b)) c)",
            "a + -b * c              | (+ a (* (u- b) c))",
            "a ^ -b ^ c              | (^ a (u- (^ b c)))",
            "-2 ^ 2                  | (u- (^ 2 2))",
            "2 ^ -1                  | (^ 2 -1)",
            "-1 * 2                  | (* -1 2)",
            "- - a                   | (u- (u- a))",
            "+a                      | (u+ a)",
            "a offset 5m + b         | (+ a offset 5m b)",
            "-a offset 5m            | (u- a offset 5m)",
            "a AND b OR c            | (or (and a b) c)",
    })
    void bindsOperatorsAsPrometheusDoes(String expr, String tree) {
        assertThat(sexpr(PromQlParser.parse(expr))).isEqualTo(tree);
    }

    // ---- Literals ---------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "42        | 42",
            "0.05      | 0.05",
            ".5        | 0.5",
            "1.        | 1",
            "1e3       | 1000",
            "1E-3      | 0.001",
            "2.5e+2    | 250",
            "0x1F      | 31",
            "0X1f      | 31",
            "010       | 8",
            "089       | 89",
            "1_000     | 1000",
            "-7        | -7",
            "+7        | 7",
            "- 7       | -7",
            "5m        | 300",
            "1h30m     | 5400",
            "100ms     | 0.1",
    })
    void readsNumbers(String expr, double value) {
        NumberLiteral n = (NumberLiteral) PromQlParser.parse(expr);
        assertThat(n.value()).isEqualTo(value);
        assertThat(n.type()).isEqualTo(ValueType.SCALAR);
    }

    @Test
    void readsInfAndNanInAnyCase() {
        assertThat(((NumberLiteral) PromQlParser.parse("Inf")).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(((NumberLiteral) PromQlParser.parse("-inf")).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(((NumberLiteral) PromQlParser.parse("+INF")).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(((NumberLiteral) PromQlParser.parse("NaN")).value()).isNaN();
        assertThat(((NumberLiteral) PromQlParser.parse("nan")).value()).isNaN();
    }

    @Test
    void keepsTheSourceSpellingOfNumbersWithTheSignFolded() {
        NumberLiteral n = (NumberLiteral) PromQlParser.parse("-0x1F");
        assertThat(n.text()).isEqualTo("-0x1F");
        assertThat(n.value()).isEqualTo(-31);
        assertThat(n.span()).isEqualTo(new Span(0, 5, 1, 1));
        assertThat(PromQlParser.parse("-(1)")).isInstanceOf(UnaryExpr.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "\"plain\"                  | plain",
            "'single'                  | single",
            "`raw \\. \\d \\\" text`    | raw \\. \\d \\\" text",
            "\"quote \\\" backslash \\\\\" | quote \" backslash \\",
            "'it\\'s'                   | it's",
            "\"tab\\tnl\\n\"             | ~tab\tnl\n~",
            "\"\\x41\\101\\u00e9\\U0001F600\" | ~A\u0041\u00e9\uD83D\uDE00~",
            "\"\\xc3\\xa9\"              | \u00e9",
            "\"\\a\\b\\f\\r\\v\"          | ~\u0007\b\f\r\u000B~",
    })
    void decodesStringsWithGoEscapes(String expr, String value) {
        StringLiteral s = (StringLiteral) PromQlParser.parse(expr);
        assertThat(s.value()).isEqualTo(value);
        assertThat(s.type()).isEqualTo(ValueType.STRING);
    }

    @Test
    void backtickStringsAreRawAndMaySpanLines() {
        StringLiteral s = (StringLiteral) PromQlParser.parse("`a\\nb\nc`");
        assertThat(s.value()).isEqualTo("a\\nb\nc");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "\"v[0-9]*\\.[0-9]\"  | 1:9: unknown escape sequence U+002E '.'",
            "'a\\\"b'             | 1:3: unknown escape sequence U+0022 '\"'",
            "\"a\\'b\"            | 1:3: unknown escape sequence U+0027 '''",
            "\"\\d+\"             | 1:2: unknown escape sequence U+0064 'd'",
            "\"\\x4\"             | 1:5: illegal character U+0022 '\"' in escape sequence",
            "\"\\8\"              | 1:2: unknown escape sequence U+0038 '8'",
            "\"\\400\"            | 1:2: escape sequence is an invalid Unicode code point",
            "\"\\uD800\"          | 1:2: escape sequence is an invalid Unicode code point",
            "\"abc               | 1:1: unterminated quoted string: \" at 1:1 is not closed",
            "`abc                | 1:1: unterminated raw string: ` at 1:1 is not closed",
    })
    void rejectsBadStringsAsPrometheusDoes(String expr, String message) {
        assertThatThrownBy(() -> PromQlParser.parse(expr))
                .isInstanceOf(PromQlSyntaxException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsAnUnknownEscapeInAFunctionArgumentWithItsPosition() {
        String expr = "label_replace(kubernetes_build_info, \"v\", \"$1\", \"git_version\", \"(v[0-9]*\\.[0-9]*).*\")";
        PromQlSyntaxException e = catchThrowableOfType(PromQlSyntaxException.class, () -> PromQlParser.parse(expr));
        assertThat(e.detail()).isEqualTo("unknown escape sequence U+002E '.'");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(expr.indexOf('\\') + 1);
        assertThat(e.offset()).isEqualTo(expr.indexOf('\\'));
    }

    @Test
    void rejectsAnUnknownEscapeInALabelMatcher() {
        assertThatThrownBy(() -> PromQlParser.parse("up{version=~\"v1\\.2\"}"))
                .isInstanceOf(PromQlSyntaxException.class)
                .hasMessage("1:16: unknown escape sequence U+002E '.'");
        assertThat(((VectorSelector) PromQlParser.parse("up{version=~\"v1\\\\.2\"}")).matchers().get(0).value())
                .isEqualTo("v1\\.2");
        assertThat(((VectorSelector) PromQlParser.parse("up{version=~`v1\\.2`}")).matchers().get(0).value())
                .isEqualTo("v1\\.2");
    }

    @Test
    void rejectsANewlineInAQuotedString() {
        assertThatThrownBy(() -> PromQlParser.parse("foo{a=\"x\ny\"}"))
                .hasMessageContaining("1:7: unterminated quoted string")
                .hasMessageContaining("only backtick strings may span lines");
    }

    // ---- Selectors ----------------------------------------------------------------------------------

    @Test
    void readsAVectorSelectorWithAllMatcherKinds() {
        VectorSelector v = (VectorSelector) PromQlParser.parse(
                "http_requests_total{job=\"api\", code=~\"5..\", method!=\"GET\", path!~'/health.*',}");
        assertThat(v.name()).contains("http_requests_total");
        assertThat(v.matchers()).extracting(LabelMatcher::name, LabelMatcher::op, LabelMatcher::value)
                .containsExactly(
                        tuple("job", MatchOp.EQUAL, "api"),
                        tuple("code", MatchOp.REGEX, "5.."),
                        tuple("method", MatchOp.NOT_EQUAL, "GET"),
                        tuple("path", MatchOp.NOT_REGEX, "/health.*"));
        assertThat(v.offset()).isEmpty();
        assertThat(v.at()).isEmpty();
        assertThat(v.type()).isEqualTo(ValueType.VECTOR);
        assertThat(v.matchers().get(1).matches("503")).isTrue();
        assertThat(v.matchers().get(1).matches("5030")).isFalse();
        assertThat(v.matchers().get(3).matches("/healthz")).isFalse();
    }

    @Test
    void readsMetricNamesWithColonsAndSelectorsWithoutNames() {
        VectorSelector recorded = (VectorSelector) PromQlParser.parse("job:http_requests:rate5m");
        assertThat(recorded.name()).contains("job:http_requests:rate5m");
        assertThat(recorded.matchers()).isEmpty();

        VectorSelector byName = (VectorSelector) PromQlParser.parse("{__name__=\"up\", job=\"x\"}");
        assertThat(byName.name()).isEmpty();
        assertThat(byName.metricName()).contains("up");

        VectorSelector unnamed = (VectorSelector) PromQlParser.parse("{job=~\".+\"}");
        assertThat(unnamed.metricName()).isEmpty();
    }

    @Test
    void acceptsKeywordsAsLabelNamesInsideBraces() {
        VectorSelector v = (VectorSelector) PromQlParser.parse(
                "foo{by=\"a\", on=\"b\", bool=\"c\", offset=\"d\", sum=\"e\", inf=\"f\", group_left=\"g\"}");
        assertThat(v.matchers()).extracting(LabelMatcher::name)
                .containsExactly("by", "on", "bool", "offset", "sum", "inf", "group_left");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sum", "min{job=\"a\"}", "by", "without", "offset", "start", "end", "count_values",
            "and", "SUM"})
    void acceptsKeywordsAsMetricNamesWherePrometheusDoes(String expr) {
        VectorSelector v = (VectorSelector) PromQlParser.parse(expr);
        assertThat(v.name()).contains(expr.replaceAll("\\{.*", ""));
    }

    @Test
    void acceptsKeywordsAsMetricNamesOnEitherSideOfOperators() {
        assertThat(sexpr(PromQlParser.parse("foo and and"))).isEqualTo("(and foo and)");
        assertThat(sexpr(PromQlParser.parse("offset offset 5m"))).isEqualTo("offset offset 5m");
    }

    @Test
    void acceptsPrometheus3QuotedNames() {
        VectorSelector v = (VectorSelector) PromQlParser.parse("{\"http.server.duration\", \"service.name\"=\"api\"}");
        assertThat(v.name()).contains("http.server.duration");
        assertThat(v.matchers()).extracting(LabelMatcher::name).containsExactly("service.name");
        assertThat(v.toString()).isEqualTo("{\"http.server.duration\", \"service.name\"=\"api\"}");
        AggregateExpr sum = (AggregateExpr) PromQlParser.parse("sum by (\"service.name\") (x)");
        assertThat(sum.grouping().labels()).containsExactly("service.name");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{}                         | 1:1: vector selector must contain at least one non-empty matcher",
            "{job=\"\"}                 | 1:1: vector selector must contain at least one non-empty matcher",
            "{job=~\".*\", x!=\"a\"}    | 1:1: vector selector must contain at least one non-empty matcher",
            "foo{__name__=\"bar\"}      | 1:4: metric name must not be set twice: \"foo\" and \"bar\"",
            "foo{\"bar\"}               | 1:4: metric name must not be set twice: \"foo\" and \"bar\"",
            "foo{job}                   | 1:8: unexpected \"}\"; expected a label matching operator (=, !=, =~ or !~) after label \"job\"",
            "foo{job=5}                 | 1:9: unexpected character U+0035 '5' inside braces",
            "foo{job=bar}               | 1:9: unexpected identifier \"bar\"; expected a quoted label value after \"job=\"",
            "foo{job==\"a\"}            | 1:9: unexpected \"=\"; expected a quoted label value after \"job=\"",
            "foo{job!\"a\"}             | 1:8: unexpected character after \"!\" inside braces: U+0022 '\"'; expected \"!=\" or \"!~\"",
            "foo{a=\"b\" c=\"d\"}       | 1:11: unexpected identifier \"c\"; expected \",\" or \"}\" in label matchers",
            "foo{,}                     | 1:5: unexpected \",\"; expected a label name in label matchers",
            "foo{a=\"b\"{               | 1:10: unexpected \"{\" inside braces: \"{\" at 1:4 is not closed",
            "foo{job=\"a\"              | 1:12: unexpected end of expression inside braces: \"{\" at 1:4 is not closed",
            "foo}                       | 1:4: unexpected \"}\" without a matching \"{\"",
            "foo{a:b=\"c\"}             | 1:6: unexpected character U+003A ':' inside braces",
    })
    void rejectsBadSelectors(String expr, String message) {
        assertThatThrownBy(() -> PromQlParser.parse(expr)).isInstanceOf(PromQlSyntaxException.class).hasMessage(message);
    }

    @Test
    void acceptsCommentsInsideBraces() {
        VectorSelector v = (VectorSelector) PromQlParser.parse("foo{ # the job\n job=\"a\" # trailing\n}");
        assertThat(v.matchers()).hasSize(1);
    }

    // ---- Ranges, offsets, @ and subqueries --------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "foo[5m]     | PT5M",
            "foo[30s]    | PT30S",
            "foo[1h30m]  | PT1H30M",
            "foo[2d]     | PT48H",
            "foo[1w]     | PT168H",
            "foo[1y]     | PT8760H",
            "foo[100ms]  | PT0.1S",
            "foo[1m30s500ms] | PT1M30.5S",
            "foo[300]    | PT5M",
            "foo[1.5]    | PT1.5S",
    })
    void readsRangeDurations(String expr, Duration range) {
        MatrixSelector m = (MatrixSelector) PromQlParser.parse(expr);
        assertThat(m.range()).isEqualTo(range);
        assertThat(m.type()).isEqualTo(ValueType.MATRIX);
        assertThat(m.selector().name()).contains("foo");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "foo[5x]     | 1:5: bad number or duration \"5x\"",
            "foo[1.5h]   | 1:5: bad number or duration \"1.5h\"",
            "foo[30m1h]  | 1:5: bad number or duration \"30m1h\"",
            "foo[5m5m]   | 1:5: bad number or duration \"5m5m\"",
            "foo[5M]     | 1:5: bad number or duration \"5M\"",
            "foo[]       | 1:5: unexpected \"]\"; expected a range such as 5m",
            "foo[-5m]    | 1:5: unexpected \"-\"; expected a range such as 5m",
            "foo[5m      | 1:7: unexpected end of expression inside brackets: \"[\" at 1:4 is not closed",
            "foo[5m:1m:] | 1:10: unexpected \":\"; expected \"]\" to close the subquery",
            "foo[[5m]]   | 1:5: unexpected \"[\" inside brackets: \"[\" at 1:4 is not closed",
            "foo]        | 1:4: unexpected \"]\" without a matching \"[\"",
            "foo[999999999y] | 1:5: duration out of range: 999999999y",
    })
    void rejectsBadDurations(String expr, String message) {
        assertThatThrownBy(() -> PromQlParser.parse(expr)).isInstanceOf(PromQlSyntaxException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void explainsWhatADurationLooksLike() {
        assertThatThrownBy(() -> PromQlParser.parse("rate(x[1.5h])"))
                .hasMessage("1:8: bad number or duration \"1.5h\": a duration is whole numbers with units y, w, d,"
                        + " h, m, s, ms, largest first and each at most once, such as 5m or 1h30m");
    }

    @Test
    void readsOffsetsIncludingNegativeOnes() {
        VectorSelector v = (VectorSelector) PromQlParser.parse("foo offset 5m");
        assertThat(v.offset()).contains(Duration.ofMinutes(5));
        assertThat(v.span()).isEqualTo(new Span(0, 13, 1, 1));

        VectorSelector negative = (VectorSelector) PromQlParser.parse("foo offset -1h30m");
        assertThat(negative.offset()).contains(Duration.ofMinutes(-90));
        assertThat(negative.toString()).isEqualTo("foo offset -1h30m");

        MatrixSelector m = (MatrixSelector) PromQlParser.parse("foo[5m] offset 1d");
        assertThat(m.offset()).contains(Duration.ofDays(1));
        assertThat(m.selector().offset()).contains(Duration.ofDays(1));
        assertThat(m.span()).isEqualTo(new Span(0, 17, 1, 1));

        VectorSelector seconds = (VectorSelector) PromQlParser.parse("foo OFFSET 60");
        assertThat(seconds.offset()).contains(Duration.ofMinutes(1));
    }

    @Test
    void readsAtModifiersInEitherOrderWithOffset() {
        VectorSelector v = (VectorSelector) PromQlParser.parse("foo @ 1609746000 offset 5m");
        assertThat(v.at()).contains(AtModifier.at(1609746000));
        assertThat(v.offset()).contains(Duration.ofMinutes(5));
        assertThat(PromQlParser.parse("foo offset 5m @ 1609746000")).isEqualTo(
                new VectorSelector(v.name(), v.matchers(), v.offset(), v.at(), v.span()));

        assertThat(((VectorSelector) PromQlParser.parse("foo @ start()")).at()).contains(AtModifier.start());
        assertThat(((VectorSelector) PromQlParser.parse("foo @ end()")).at()).contains(AtModifier.end());
        assertThat(((VectorSelector) PromQlParser.parse("foo @ -10.5")).at()).contains(AtModifier.at(-10.5));
        MatrixSelector m = (MatrixSelector) PromQlParser.parse("foo[5m] @ end()");
        assertThat(m.at()).contains(AtModifier.end());
        SubqueryExpr s = (SubqueryExpr) PromQlParser.parse("rate(foo[1m])[5m:] @ 100 offset -1m");
        assertThat(s.at()).contains(AtModifier.at(100));
        assertThat(s.offset()).contains(Duration.ofMinutes(-1));
    }

    @Test
    void readsSubqueries() {
        SubqueryExpr s = (SubqueryExpr) PromQlParser.parse("rate(http_requests_total[5m])[30m:1m]");
        assertThat(s.range()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.step()).contains(Duration.ofMinutes(1));
        assertThat(s.expr()).isInstanceOf(Call.class);
        assertThat(s.type()).isEqualTo(ValueType.MATRIX);

        SubqueryExpr noStep = (SubqueryExpr) PromQlParser.parse("foo[30m:]");
        assertThat(noStep.step()).isEmpty();
        assertThat(noStep.expr()).isInstanceOf(VectorSelector.class);

        Call nested = (Call) PromQlParser.parse("max_over_time(deriv(rate(x[1m])[5m:1m])[10m:] offset 1h)");
        SubqueryExpr outer = (SubqueryExpr) nested.args().get(0);
        assertThat(outer.offset()).contains(Duration.ofHours(1));
        assertThat(((Call) outer.expr()).args().get(0)).isInstanceOf(SubqueryExpr.class);

        assertThat(PromQlParser.parse("(a + b)[5m:1m]")).isInstanceOf(SubqueryExpr.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "foo offset 5m offset 1m    | 1:15: offset may not be set multiple times",
            "foo[5m] offset 1m offset 1m | 1:19: offset may not be set multiple times",
            "foo @ 1 @ 2                | 1:9: @ may not be set multiple times",
            "sum(foo) offset 5m         | 1:10: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery",
            "(foo) @ end()              | 1:7: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery",
            "foo offset 1h [5m]         | 1:15: no offset modifiers allowed before range",
            "foo @ 100 [5m]             | 1:11: no @ modifiers allowed before range",
            "(foo)[5m]                  | 1:6: ranges only allowed for vector selectors; for any other expression use a subquery such as [5m:1m]",
            "rate(foo[5m])[5m]          | 1:14: ranges only allowed for vector selectors; for any other expression use a subquery such as [5m:1m]",
            "foo[5m][10m:1m]            | 1:8: subquery is only allowed on an instant vector, got range vector instead",
            "foo @ start                | 1:12: unexpected end of expression; expected \"(\" after \"start\"",
            "foo @ bar                  | 1:7: unexpected identifier \"bar\"; expected a timestamp, start() or end() after \"@\"",
            "foo @ Inf                  | 1:7: timestamp out of bounds for @ modifier: Inf",
            "foo offset                 | 1:11: unexpected end of expression; expected a duration such as 5m after \"offset\"",
    })
    void rejectsMisplacedModifiers(String expr, String message) {
        assertThatThrownBy(() -> PromQlParser.parse(expr)).isInstanceOf(PromQlSyntaxException.class).hasMessage(message);
    }

    // ---- Functions ----------------------------------------------------------------------------------

    @Test
    void readsFunctionCalls() {
        Call rate = (Call) PromQlParser.parse("rate(http_requests_total{job=\"api\"}[5m])");
        assertThat(rate.function()).isEqualTo("rate");
        assertThat(rate.knownFunction()).isTrue();
        assertThat(rate.args()).singleElement().isInstanceOf(MatrixSelector.class);
        assertThat(rate.type()).isEqualTo(ValueType.VECTOR);

        Call time = (Call) PromQlParser.parse("time()");
        assertThat(time.args()).isEmpty();
        assertThat(time.type()).isEqualTo(ValueType.SCALAR);

        Call quantile = (Call) PromQlParser.parse("histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))");
        assertThat(quantile.args()).hasSize(2);
        assertThat(quantile.args().get(0)).isEqualTo(new NumberLiteral(0.95, "0.95", new Span(19, 23, 1, 20)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "label_replace(up, \"dst\", \"$1\", \"src\", \"(.*)\")",
            "label_join(up, \"dst\", \",\")",
            "label_join(up, \"dst\", \",\", \"a\", \"b\", \"c\")",
            "round(x)", "round(x, 0.5)",
            "day_of_week()", "year(timestamp(up))",
            "clamp(x, 0, 1)", "vector(1)", "scalar(sum(up))", "pi()",
            "predict_linear(node_filesystem_free_bytes[6h], 4 * 3600)",
            "holt_winters(x[1h], 0.5, 0.5)", "double_exponential_smoothing(x[1h], 0.5, 0.5)",
            "quantile_over_time(0.9, x[5m])", "absent_over_time(up[5m])",
            "sort_by_label(up, \"job\", \"instance\")", "info(up)",
            "rate (x[5m])",
            "my_custom_function(x, 1, \"a\", y[5m])",
            "unknown_scalar() > 1",
            "clamp_max(x, unknown_scalar())",
    })
    void acceptsValidCallsIncludingFunctionsItDoesNotKnow(String expr) {
        assertThat(PromQlParser.parse(expr)).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "rate(x)                     | 1:6: expected type range vector in call to function \"rate\", got instant vector",
            "rate(x[5m], 1)              | 1:1: expected 1 argument(s) in call to \"rate\", got 2",
            "time(1)                     | 1:1: expected 0 argument(s) in call to \"time\", got 1",
            "label_join(up, \"a\")       | 1:1: expected at least 3 argument(s) in call to \"label_join\", got 2",
            "round(x, 1, 2)              | 1:1: expected at most 2 argument(s) in call to \"round\", got 3",
            "histogram_quantile(x, y)    | 1:20: expected type scalar in call to function \"histogram_quantile\", got instant vector",
            "label_replace(up, 1, \"\", \"\", \"\") | 1:19: expected type string in call to function \"label_replace\", got scalar",
            "rate(x[5m],)                | 1:11: trailing comma not allowed in function call arguments",
            "rate(x[5m]                  | 1:11: unexpected end of expression; expected \",\" or \")\" to close \"(\" at 1:5 (\"(\" at 1:5 is not closed)",
            "foo:bar(x)                  | 1:8: unexpected \"(\" after a complete expression; expected an operator or the end of the expression",
    })
    void rejectsBadCalls(String expr, String message) {
        assertThatThrownBy(() -> PromQlParser.parse(expr)).isInstanceOf(PromQlSyntaxException.class).hasMessage(message);
    }

    // ---- Aggregations ------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count"})
    void readsEveryAggregationWithoutParameter(String op) {
        AggregateExpr a = (AggregateExpr) PromQlParser.parse(op + " by (job) (up)");
        assertThat(a.op().keyword()).isEqualTo(op);
        assertThat(a.param()).isEmpty();
        assertThat(a.grouping()).isEqualTo(new Grouping(Grouping.Mode.BY, List.of("job")));
        assertThat(a.expr()).isInstanceOf(VectorSelector.class);
        assertThat(a.type()).isEqualTo(ValueType.VECTOR);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "topk(5, up)                 | TOPK        | 5",
            "bottomk(3, up)              | BOTTOMK     | 3",
            "quantile(0.9, up)           | QUANTILE    | 0.9",
            "count_values(\"v\", up)     | COUNT_VALUES | \"v\"",
            "limitk(2, up)               | LIMITK      | 2",
            "limit_ratio(0.5, up)        | LIMIT_RATIO | 0.5",
    })
    void readsEveryAggregationWithParameter(String expr, AggregateOp op, String param) {
        AggregateExpr a = (AggregateExpr) PromQlParser.parse(expr);
        assertThat(a.op()).isEqualTo(op);
        assertThat(a.param()).map(Object::toString).contains(param);
        assertThat(a.children()).hasSize(2);
    }

    @Test
    void readsGroupingBeforeOrAfterTheArguments() {
        AggregateExpr before = (AggregateExpr) PromQlParser.parse("sum without (instance, pod) (rate(x[5m]))");
        AggregateExpr after = (AggregateExpr) PromQlParser.parse("sum(rate(x[5m])) without (instance, pod)");
        assertThat(after.grouping()).isEqualTo(before.grouping());
        assertThat(after.grouping().mode()).isEqualTo(Grouping.Mode.WITHOUT);
        assertThat(after.span()).isEqualTo(new Span(0, 40, 1, 1));
        assertThat(after.toString()).isEqualTo(before.toString());

        assertThat(((AggregateExpr) PromQlParser.parse("sum by () (x)")).grouping())
                .isEqualTo(new Grouping(Grouping.Mode.BY, List.of()));
        assertThat(((AggregateExpr) PromQlParser.parse("sum by (a, b,) (x)")).grouping().labels())
                .containsExactly("a", "b");
        assertThat(((AggregateExpr) PromQlParser.parse("SUM BY (on, group, bool, le, offset) (x)")).grouping().labels())
                .containsExactly("on", "group", "bool", "le", "offset");
        assertThat(((AggregateExpr) PromQlParser.parse("sum(x)")).grouping()).isEqualTo(Grouping.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "sum()                       | 1:1: no arguments for aggregate expression \"sum\" provided",
            "topk(up)                    | 1:1: wrong number of arguments for aggregate expression \"topk\": expected 2, got 1",
            "sum(a, b)                   | 1:1: wrong number of arguments for aggregate expression \"sum\": expected 1, got 2",
            "topk(\"5\", up)             | 1:6: expected type scalar in aggregation parameter, got string",
            "count_values(5, up)         | 1:14: expected type string in aggregation parameter, got scalar",
            "sum(up[5m])                 | 1:5: expected type instant vector in aggregation expression, got range vector",
            "sum by (a:b) (x)            | 1:9: invalid label name \"a:b\" in grouping: label names cannot contain \":\"",
            "sum by (1) (x)              | 1:9: unexpected number \"1\"; expected a label name",
            "sum by (a b) (x)            | 1:11: unexpected identifier \"b\"; expected \",\" or \")\" in the label list of \"by\"",
            "sum by (a) (x) by (b)       | 1:16: unexpected keyword \"by\" after a complete expression; expected an operator or the end of the expression",
            "sum by a (x)                | 1:8: unexpected identifier \"a\"; expected \"(\" after \"by\"",
            "sum by (a) x                | 1:12: unexpected identifier \"x\"; expected \"(\"",
    })
    void rejectsBadAggregations(String expr, String message) {
        assertThatThrownBy(() -> PromQlParser.parse(expr)).isInstanceOf(PromQlSyntaxException.class).hasMessage(message);
    }

    // ---- Binary operations ---------------------------------------------------------------------------

    @Test
    void readsBoolAndVectorMatching() {
        BinaryExpr b = (BinaryExpr) PromQlParser.parse(
                "errors / ignoring(code) group_left requests > bool 0.1");
        assertThat(b.op()).isEqualTo(BinaryOp.GTR);
        assertThat(b.returnBool()).isTrue();
        assertThat(b.numberOperand()).map(NumberLiteral::value).contains(0.1);
        BinaryExpr ratio = (BinaryExpr) b.lhs();
        assertThat(ratio.matching()).contains(
                new VectorMatching(false, List.of("code"), VectorMatching.Group.LEFT, List.of()));

        BinaryExpr join = (BinaryExpr) PromQlParser.parse("a * on (job, instance) group_right (owner, team) b");
        assertThat(join.matching()).contains(new VectorMatching(true, List.of("job", "instance"),
                VectorMatching.Group.RIGHT, List.of("owner", "team")));
        assertThat(join.returnBool()).isFalse();
        assertThat(join.toString()).isEqualTo("a * on (job, instance) group_right (owner, team) b");

        BinaryExpr onEmpty = (BinaryExpr) PromQlParser.parse("a + on() b");
        assertThat(onEmpty.matching()).contains(new VectorMatching(true, List.of(), VectorMatching.Group.NONE, List.of()));

        BinaryExpr unless = (BinaryExpr) PromQlParser.parse("up == 0 unless on(job) (sum by (job) (up) == 0)");
        assertThat(unless.op()).isEqualTo(BinaryOp.UNLESS);
        assertThat(unless.rhs()).isInstanceOf(ParenExpr.class);

        assertThat(((BinaryExpr) PromQlParser.parse("1 > bool 2")).type()).isEqualTo(ValueType.SCALAR);
        assertThat(((BinaryExpr) PromQlParser.parse("up > 1")).type()).isEqualTo(ValueType.VECTOR);
    }

    @Test
    void takesTheParenthesisAfterAGroupModifierAsItsLabelList() {
        BinaryExpr b = (BinaryExpr) PromQlParser.parse("a * on(x) group_left (b) (c)");
        assertThat(b.matching().orElseThrow().include()).containsExactly("b");
        assertThat(b.rhs()).isInstanceOf(ParenExpr.class);
        assertThatThrownBy(() -> PromQlParser.parse("a * on(x) group_left (b)"))
                .hasMessage("1:25: unexpected end of expression; expected an expression");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "1 > 2                       | 1:3: comparisons between scalars must use the bool modifier: > bool",
            "a + bool b                  | 1:3: bool modifier can only be used on comparison operators, not \"+\"",
            "a and on(x) group_left b    | 1:3: no grouping allowed for \"and\" operation",
            "1 and a                     | 1:3: set operator \"and\" not allowed in binary scalar expression",
            "a + on(x) 1                 | 1:3: vector matching only allowed between instant vectors",
            "a * on(x) group_left(x) b   | 1:3: label \"x\" must not occur in ON and GROUP clause at once",
            "a * group_left b            | 1:5: unexpected keyword \"group_left\"; it must follow on(...) or ignoring(...)",
            "a > on(x) bool b            | 1:11: unexpected keyword \"bool\"; expected an expression",
            "a[5m] + b                   | 1:1: binary expression must contain only scalar and instant vector types, but the left operand of \"+\" is a range vector",
            "a + \"x\"                   | 1:5: binary expression must contain only scalar and instant vector types, but the right operand of \"+\" is a string",
            "-x[5m]                      | 1:1: unary expression only allowed on expressions of type scalar or instant vector, got range vector",
            "a ==                        | 1:5: unexpected end of expression; expected an expression",
            "a = b                       | 1:3: unexpected \"=\" after a complete expression; expected an operator or the end of the expression",
            "a ! b                       | 1:3: unexpected character after \"!\": U+0020; expected \"!=\"",
            "a on b                      | 1:3: unexpected keyword \"on\" after a complete expression; expected an operator or the end of the expression",
    })
    void rejectsBadBinaryOperations(String expr, String message) {
        assertThatThrownBy(() -> PromQlParser.parse(expr)).isInstanceOf(PromQlSyntaxException.class).hasMessage(message);
    }

    @Test
    void mirrorsComparisons() {
        assertThat(BinaryOp.LSS.mirrored()).isEqualTo(BinaryOp.GTR);
        assertThat(BinaryOp.GTE.mirrored()).isEqualTo(BinaryOp.LTE);
        assertThat(BinaryOp.EQL.mirrored()).isEqualTo(BinaryOp.EQL);
        assertThatThrownBy(BinaryOp.ADD::mirrored).isInstanceOf(IllegalStateException.class);
    }

    // ---- Comments, whitespace, positions -------------------------------------------------------------

    @Test
    void skipsCommentsAndWhitespaceAnywhereOutsideStrings() {
        Expr e = PromQlParser.parse("# leading comment\n  sum( # inside\n rate(x[5m] # range\n) ) by (job) # end");
        assertThat(e.toString()).isEqualTo("sum by (job) (rate(x[5m]))");
        assertThat(((StringLiteral) PromQlParser.parse("\"# not a comment\"")).value()).isEqualTo("# not a comment");
    }

    @Test
    void reportsLinesAndColumnsInMultiLineExpressions() {
        String expr = "sum by (job) (\n  rate(http_requests_total{code=~\"5..\"}[5m])\n)\n/ on (job)\n  foo{";
        PromQlSyntaxException e = catchThrowableOfType(PromQlSyntaxException.class, () -> PromQlParser.parse(expr));
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.column()).isEqualTo(7);
        assertThat(e.getMessage()).isEqualTo("5:7: unexpected end of expression inside braces: \"{\" at 5:6 is not closed");

        Expr ok = PromQlParser.parse(expr.substring(0, expr.length() - 1));
        VectorSelector selector = ok.vectorSelectors().get(0);
        assertThat(selector.span().line()).isEqualTo(2);
        assertThat(selector.span().column()).isEqualTo(8);
        assertThat(selector.span().text(expr)).isEqualTo("http_requests_total{code=~\"5..\"}");
        int foo = expr.indexOf("foo");
        assertThat(ok.vectorSelectors().get(1).span()).isEqualTo(new Span(foo, foo + 3, 5, 3));
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "~~                  | 1:1: empty expression",
            "~   ~               | 1:4: empty expression",
            "~# only a comment~  | 1:17: empty expression",
            "foo bar             | 1:5: unexpected identifier \"bar\" after a complete expression; expected an operator or the end of the expression",
            "sum(x) 5            | 1:8: unexpected number \"5\" after a complete expression; expected an operator or the end of the expression",
            "foo )               | 1:5: unexpected \")\" without a matching \"(\"",
            ")                   | 1:1: unexpected \")\"; expected an expression",
            "()                  | 1:2: unexpected \")\"; expected an expression",
            "(foo                | 1:5: unexpected end of expression; expected \")\" to close \"(\" at 1:1 (\"(\" at 1:1 is not closed)",
            "sum(rate(x[5m])     | 1:16: unexpected end of expression; expected \",\" or \")\" to close \"(\" at 1:4 (\"(\" at 1:4 is not closed)",
            "foo $ bar           | 1:5: unexpected character U+0024 '$'",
            "5x                  | 1:1: bad number or duration \"5x\"",
            "1_                  | 1:1: bad number \"1_\"",
            "0x                  | 1:1: bad number \"0x\"",
            "foo == ==           | 1:8: unexpected \"==\"; expected an expression",
            "foo,bar             | 1:4: unexpected \",\" after a complete expression; expected an operator or the end of the expression",
    })
    void rejectsMalformedInputWithPositionAndToken(String expr, String message) {
        assertThatThrownBy(() -> PromQlParser.parse(expr)).isInstanceOf(PromQlSyntaxException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> PromQlParser.parse(null)).isInstanceOf(NullPointerException.class);
    }

    // ---- Pathological input ---------------------------------------------------------------------------

    @Nested
    class PathologicalInput {

        @Test
        void tenThousandNestedParenthesesAreRejectedNotOverflowed() {
            String expr = "(".repeat(10_000) + "1" + ")".repeat(10_000);
            assertThatThrownBy(() -> PromQlParser.parse(expr))
                    .isInstanceOf(PromQlSyntaxException.class)
                    .hasMessageContaining("expression nested too deeply: more than 256 levels");
        }

        @Test
        void deepButReasonableNestingParses() {
            String expr = "(".repeat(200) + "up" + ")".repeat(200);
            Expr e = PromQlParser.parse(expr);
            assertThat(e.unwrapParens()).isInstanceOf(VectorSelector.class);
            assertThat(e.nodes().count()).isEqualTo(201);
            assertThat(e.metricNames()).containsExactly("up");
            assertThat(PromQlParser.parse(e.toString())).isEqualTo(e);
        }

        @ParameterizedTest
        @ValueSource(strings = {"sum(", "rate(", "-", "- ", "a ^ ", "abs(-", "a offset 1m + ("})
        void deeplyNestedOperatorsAreRejected(String unit) {
            String expr = unit.repeat(10_000) + "x";
            assertThatThrownBy(() -> PromQlParser.parse(expr))
                    .isInstanceOf(PromQlSyntaxException.class)
                    .hasMessageContaining("nested too deeply");
        }

        @Test
        void aOneMegabyteChainIsRejectedBeforeItBuildsAnUnwalkableTree() {
            // Built by a loop, the chain is as deep as it is long; every later walk would recurse that far.
            String expr = "1" + " + 1".repeat(250_000);
            assertThat(expr.length()).isGreaterThan(1_000_000);
            assertThatThrownBy(() -> PromQlParser.parse(expr))
                    .isInstanceOf(PromQlSyntaxException.class)
                    .hasMessageContaining("expression nested too deeply: more than 256 levels");
        }

        @Test
        void aOneMegabyteFlatExpressionParses() {
            String value = "x".repeat(1_000_000);
            VectorSelector v = (VectorSelector) PromQlParser.parse("foo{a=\"" + value + "\"}");
            assertThat(v.matchers().get(0).value()).hasSize(1_000_000);

            String labels = String.join(", ", Collections.nCopies(100_000, "label"));
            AggregateExpr a = (AggregateExpr) PromQlParser.parse("sum by (" + labels + ") (x)");
            assertThat(a.grouping().labels()).hasSize(100_000);
        }

        @Test
        void aOneMegabyteUnclosedStringFailsQuickly() {
            assertThatThrownBy(() -> PromQlParser.parse("foo{a=\"" + "x".repeat(1_000_000)))
                    .hasMessage("1:7: unterminated quoted string: \" at 1:7 is not closed");
        }

        @Test
        void theDeepestAllowedExpressionParsesEvenOnASmallThreadStack() throws InterruptedException {
            // Maven may parse on a worker thread; 256 KiB is a quarter of the JVM's default stack.
            String deepest = "sum(".repeat(PromQlParser.MAX_DEPTH - 1) + "x" + ")".repeat(PromQlParser.MAX_DEPTH - 1);
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread thread = new Thread(null, () -> {
                try {
                    outcome.set(PromQlParser.parse(deepest));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            }, "small-stack", 256 * 1024);
            thread.start();
            thread.join();

            assertThat(outcome.get()).isInstanceOf(Expr.class);
            Expr e = (Expr) outcome.get();
            assertThat(e.nodes().count()).isEqualTo(PromQlParser.MAX_DEPTH);
            // Walks as deep as the limit allows stay within a default stack.
            assertThat(e.toString()).isEqualTo(deepest);
            assertThat(PromQlParser.parse(deepest)).isEqualTo(e).hasSameHashCodeAs(e);
            assertThat(e.metricNames()).containsExactly("x");
        }

        @Test
        void oneLevelPastTheLimitIsRejected() {
            String tooDeep = "sum(".repeat(PromQlParser.MAX_DEPTH) + "x" + ")".repeat(PromQlParser.MAX_DEPTH);
            assertThatThrownBy(() -> PromQlParser.parse(tooDeep))
                    .isInstanceOf(PromQlSyntaxException.class)
                    .hasMessageContaining("expression nested too deeply: more than 256 levels");
        }
    }

    // ---- The tree API -------------------------------------------------------------------------------

    @Test
    void collectsEveryMetricNameReferencedBySelectors() {
        Expr e = PromQlParser.parse("histogram_quantile(0.95, sum by (le) (rate(http_duration_seconds_bucket[5m])))"
                + " > on() group_left {__name__=\"threshold_seconds\", job=\"x\"}"
                + " or {__name__=~\"ignored_.*\"} or absent(up) or up offset 1h");
        assertThat(e.metricNames()).containsExactly("http_duration_seconds_bucket", "threshold_seconds", "up");
        assertThat(e.vectorSelectors()).hasSize(5);
        assertThatThrownBy(() -> e.metricNames().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void walksTheTreeToFindRatesQuantilesAndThresholds() {
        Expr e = PromQlParser.parse("sum(rate(jobs_failed_total[5m])) / sum(rate(jobs_total[5m])) > 0.1"
                + " and histogram_quantile(0.95, rate(latency_bucket[10m])) >= 2");

        List<String> rated = e.nodes()
                .filter(n -> n instanceof Call c && c.function().equals("rate"))
                .map(n -> ((MatrixSelector) ((Call) n).args().get(0)).selector().metricName().orElseThrow())
                .toList();
        assertThat(rated).containsExactly("jobs_failed_total", "jobs_total", "latency_bucket");

        List<String> thresholds = e.nodes()
                .filter(n -> n instanceof BinaryExpr b && b.op().isComparison())
                .map(n -> ((BinaryExpr) n).op().symbol() + " " + ((BinaryExpr) n).numberOperand().orElseThrow().text())
                .toList();
        assertThat(thresholds).containsExactly("> 0.1", ">= 2");

        assertThat(e.nodes().filter(n -> n instanceof Call c && c.function().equals("histogram_quantile")))
                .singleElement()
                .satisfies(n -> assertThat(n.metricNames()).containsExactly("latency_bucket"));
    }

    @Test
    void visitsEveryNodeKind() {
        Expr e = PromQlParser.parse("-sum by (a) (rate(x[5m]))"
                + " + (topk(1, label_replace(-y, \"a\", \"b\", \"c\", \"d\")) / max_over_time(z[5m:]))");
        ExprVisitor<String> shape = new ExprVisitor<>() {
            private String visit(Expr n, String name) {
                return name + n.children().stream().map(c -> c.accept(this)).collect(Collectors.joining(",", "(", ")"));
            }

            @Override public String visitNumberLiteral(NumberLiteral n) { return visit(n, "num"); }
            @Override public String visitStringLiteral(StringLiteral n) { return visit(n, "str"); }
            @Override public String visitVectorSelector(VectorSelector n) { return visit(n, "vec"); }
            @Override public String visitMatrixSelector(MatrixSelector n) { return visit(n, "mat"); }
            @Override public String visitSubquery(SubqueryExpr n) { return visit(n, "sub"); }
            @Override public String visitCall(Call n) { return visit(n, "call"); }
            @Override public String visitAggregate(AggregateExpr n) { return visit(n, "agg"); }
            @Override public String visitBinary(BinaryExpr n) { return visit(n, "bin"); }
            @Override public String visitUnary(UnaryExpr n) { return visit(n, "neg"); }
            @Override public String visitParen(ParenExpr n) { return visit(n, "par"); }
        };
        assertThat(e.accept(shape)).isEqualTo("bin(neg(agg(call(mat(vec())))),"
                + "par(bin(agg(num(),call(neg(vec()),str(),str(),str(),str())),call(sub(vec())))))");
    }

    @Test
    void ordersNodesParentFirstInSourceOrder() {
        Expr e = PromQlParser.parse("topk(3, a + b)");
        assertThat(e.nodes().map(PromQlParserTest::kind).toList())
                .containsExactly("AggregateExpr", "NumberLiteral", "BinaryExpr", "VectorSelector", "VectorSelector");
        assertThat(e.children()).hasSize(2);
        assertThatThrownBy(() -> e.children().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void unwrapsParentheses() {
        assertThat(PromQlParser.parse("((up))").unwrapParens()).isInstanceOf(VectorSelector.class);
        assertThat(PromQlParser.parse("up").unwrapParens()).isInstanceOf(VectorSelector.class);
    }

    @Test
    void equalTextGivesEqualTrees() {
        String expr = "sum by (job) (rate(x{a=\"b\"}[5m] offset 1m)) > bool on(job) group_left vector(1)";
        assertThat(PromQlParser.parse(expr)).isEqualTo(PromQlParser.parse(expr)).hasSameHashCodeAs(PromQlParser.parse(expr));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "sum by (job) (rate(http_requests_total{code=~\"5..\", job!=\"\"}[5m]))",
            "a * on (job) group_left (owner) b",
            "a > bool ignoring (code) b",
            "-rate(x[1h30m] @ 100 offset -5m)",
            "max_over_time(rate(x[5m])[1d:1m] @ end())",
            "foo offset 1w",
            "count_values(\"version\", build_info)",
            "(a + b) * -c ^ 2",
            "label_replace(up, \"dst\", \"$1\", \"src\", \"a\\\\.b\\n\")",
            "{\"weird metric\", a=\"b\"}",
            "sum by (\"inf\") (x)",
            "x > 5m",
    })
    void printsExpressionsThatParseBackToTheSameTree(String expr) {
        Expr first = PromQlParser.parse(expr);
        Expr reparsed = PromQlParser.parse(first.toString());
        assertThat(reparsed.toString()).isEqualTo(first.toString());
        assertThat(sexpr(reparsed)).isEqualTo(sexpr(first));
    }

    @Test
    void printsCanonicalPromQl() {
        assertThat(PromQlParser.parse("SUM(rate( x [ 90m ] )) BY (a,b)").toString()).isEqualTo("sum by (a, b) (rate(x[1h30m]))");
        assertThat(PromQlParser.parse("'single'").toString()).isEqualTo("\"single\"");
        assertThat(PromQlParser.parse("foo[300]").toString()).isEqualTo("foo[5m]");
        assertThat(PromQlParser.parse("foo @ 1.50").toString()).isEqualTo("foo @ 1.5");
    }

    // ---- Helpers ----------------------------------------------------------------------------------

    private static String kind(Expr e) {
        return e.getClass().getSimpleName();
    }

    /** The tree's shape in prefix notation: (op lhs rhs), (u- x), (paren x), (fn args...). */
    static String sexpr(Expr e) {
        if (e instanceof BinaryExpr b) {
            return "(" + b.op().symbol() + (b.returnBool() ? " bool" : "")
                    + b.matching().map(m -> " " + m).orElse("") + " " + sexpr(b.lhs()) + " " + sexpr(b.rhs()) + ")";
        }
        if (e instanceof UnaryExpr u) {
            return "(u" + u.op().symbol() + " " + sexpr(u.expr()) + ")";
        }
        if (e instanceof ParenExpr p) {
            return "(paren " + sexpr(p.expr()) + ")";
        }
        if (e instanceof Call c) {
            return "(" + c.function() + c.args().stream().map(a -> " " + sexpr(a)).collect(Collectors.joining()) + ")";
        }
        if (e instanceof AggregateExpr a) {
            return "(" + a.op().keyword() + " " + a.grouping()
                    + a.children().stream().map(c -> " " + sexpr(c)).collect(Collectors.joining()) + ")";
        }
        if (e instanceof SubqueryExpr s) {
            return "(subquery " + sexpr(s.expr()) + " " + s.range() + " " + s.step().map(Object::toString).orElse("-")
                    + s.offset().map(o -> " offset " + o).orElse("") + s.at().map(a -> " " + a).orElse("") + ")";
        }
        return e.toString();
    }
}
