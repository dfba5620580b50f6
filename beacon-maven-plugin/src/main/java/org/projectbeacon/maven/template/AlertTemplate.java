package org.projectbeacon.maven.template;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses an alert annotation or label the way Prometheus does before it loads a rule file: as a Go
 * {@code text/template} preceded by the variables Prometheus defines ({@code $labels},
 * {@code $externalLabels}, {@code $externalURL}, {@code $value}) and with Go's and Prometheus'
 * template functions. It reports what {@code promtool check rules} reports (unclosed actions, bad
 * strings or numbers, unknown functions, undefined variables, unbalanced {@code if}/{@code range}/
 * {@code with}/{@code end}) and lists the alert labels the template reads, for
 * {@code template-label-missing}.
 *
 * <p>Nothing is executed. Stateless and thread-safe: {@link #parse(String)} keeps its state in a
 * per-call object.
 */
public final class AlertTemplate {

    /** Functions of Go's {@code text/template}. */
    public static final Set<String> GO_FUNCTIONS = Set.of("and", "call", "html", "index", "slice", "js", "len", "not",
            "or", "print", "printf", "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne");
    /** Functions Prometheus adds for alert templates (Prometheus 2 and 3). */
    public static final Set<String> PROMETHEUS_FUNCTIONS = Set.of("query", "first", "label", "value", "strvalue",
            "args", "reReplaceAll", "safeHtml", "match", "title", "toUpper", "toLower", "graphLink", "tableLink",
            "sortByLabel", "humanize", "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp",
            "toTime", "toDuration", "now", "pathPrefix", "externalURL", "parseDuration", "stripPort", "stripDomain");
    /** Variables Prometheus defines before every alert template. */
    public static final Set<String> PROMETHEUS_VARIABLES = Set.of("$", "$labels", "$externalLabels", "$externalURL", "$value");

    private static final Set<String> KEYWORDS = Set.of("block", "break", "continue", "define", "else", "end", "if",
            "range", "nil", "template", "with");

    private AlertTemplate() {}

    /**
     * A label of the alert a template reads, as {@code $labels.name}, {@code index $labels "name"}
     * or, outside {@code range} and {@code with}, {@code .Labels.name}.
     *
     * @param name the label name
     * @param offset the 0-based offset of the reference in the template text
     */
    public record LabelReference(String name, int offset) {}

    /**
     * Parses {@code text}.
     *
     * @return the alert labels the template reads, in order
     * @throws TemplateSyntaxException with the first error and its offset, as Go reports it
     */
    public static List<LabelReference> parse(String text) throws TemplateSyntaxException {
        return new Parser(new Lexer(text).tokens()).parse();
    }

    enum Kind { LEFT, RIGHT, SPACE, IDENT, KEYWORD, FIELD, VARIABLE, DOT, STRING, NUMBER, BOOL, PIPE, LPAREN, RPAREN,
        DECLARE, ASSIGN, COMMA, CHAR, EOF }

    record Token(Kind kind, String text, int offset) {}

    /** Go's template lexer, reduced to what decides validity. */
    private static final class Lexer {
        private final String in;
        private final List<Token> out = new ArrayList<>();
        private int pos;

        Lexer(String in) {
            this.in = in;
        }

        List<Token> tokens() throws TemplateSyntaxException {
            while (true) {
                int open = in.indexOf("{{", pos);
                if (open < 0) {
                    break;
                }
                pos = open + 2;
                if (in.startsWith("-", pos) && pos + 1 < in.length() && isSpace(in.charAt(pos + 1))) {
                    pos += 2;
                }
                if (in.startsWith("/*", pos)) {
                    comment(open);
                    continue;
                }
                out.add(new Token(Kind.LEFT, "{{", open));
                action();
            }
            out.add(new Token(Kind.EOF, "", in.length()));
            return out;
        }

        private int skipSpace(int at) {
            int i = at;
            while (i < in.length() && isSpace(in.charAt(i))) {
                i++;
            }
            return i;
        }

        private void comment(int open) throws TemplateSyntaxException {
            int end = in.indexOf("*/", pos + 2);
            if (end < 0) {
                throw new TemplateSyntaxException("unclosed comment", open);
            }
            pos = end + 2;
            if (in.startsWith("}}", pos)) {
                pos += 2;
            } else if (in.startsWith(" -}}", pos)) {
                pos += 4;
            } else {
                throw new TemplateSyntaxException("comment ends before closing delimiter", open);
            }
        }

        private void action() throws TemplateSyntaxException {
            int parens = 0;
            while (true) {
                if (pos >= in.length()) {
                    throw new TemplateSyntaxException("unclosed action", pos);
                }
                char c = in.charAt(pos);
                if (isSpace(c)) {
                    int start = pos;
                    pos = skipSpace(pos);
                    if (in.startsWith("-}}", pos)) {
                        pos += 3;
                        out.add(new Token(Kind.RIGHT, "}}", start));
                        return;
                    }
                    out.add(new Token(Kind.SPACE, " ", start));
                    continue;
                }
                if (in.startsWith("}}", pos)) {
                    if (parens > 0) {
                        throw new TemplateSyntaxException("unclosed left paren", pos);
                    }
                    out.add(new Token(Kind.RIGHT, "}}", pos));
                    pos += 2;
                    return;
                }
                int start = pos;
                switch (c) {
                    case '=' -> single(Kind.ASSIGN);
                    case ':' -> {
                        if (!in.startsWith(":=", pos)) {
                            throw new TemplateSyntaxException("expected :=", pos);
                        }
                        pos += 2;
                        out.add(new Token(Kind.DECLARE, ":=", start));
                    }
                    case '|' -> single(Kind.PIPE);
                    case ',' -> single(Kind.COMMA);
                    case '"' -> quoted();
                    case '`' -> raw();
                    case '\'' -> character();
                    case '$' -> word(Kind.VARIABLE);
                    case '(' -> {
                        parens++;
                        single(Kind.LPAREN);
                    }
                    case ')' -> {
                        parens--;
                        if (parens < 0) {
                            throw new TemplateSyntaxException("unexpected right paren", pos);
                        }
                        single(Kind.RPAREN);
                    }
                    default -> other(c);
                }
            }
        }

        private void other(char c) throws TemplateSyntaxException {
            if (c == '.') {
                if (pos + 1 < in.length() && Character.isDigit(in.charAt(pos + 1))) {
                    number();
                } else {
                    word(Kind.FIELD);
                }
            } else if (c == '+' || c == '-' || Character.isDigit(c)) {
                number();
            } else if (isAlphaNumeric(c)) {
                int start = pos;
                while (pos < in.length() && isAlphaNumeric(in.charAt(pos))) {
                    pos++;
                }
                String word = in.substring(start, pos);
                terminator();
                Kind kind = KEYWORDS.contains(word) ? Kind.KEYWORD
                        : word.equals("true") || word.equals("false") ? Kind.BOOL : Kind.IDENT;
                out.add(new Token(kind, word, start));
            } else if (c < 0x7f && c >= 0x20) {
                single(Kind.CHAR);
            } else {
                throw new TemplateSyntaxException(String.format("unrecognized character in action: U+%04X", (int) c), pos);
            }
        }

        private void single(Kind kind) {
            out.add(new Token(kind, in.substring(pos, pos + 1), pos));
            pos++;
        }

        /** A field ({@code .Name}), the dot alone, or a variable ({@code $name}, {@code $}). */
        private void word(Kind kind) throws TemplateSyntaxException {
            int start = pos;
            pos++;
            while (pos < in.length() && isAlphaNumeric(in.charAt(pos))) {
                pos++;
            }
            if (kind == Kind.FIELD && pos == start + 1) {
                out.add(new Token(Kind.DOT, ".", start));
                return;
            }
            terminator();
            out.add(new Token(kind, in.substring(start, pos), start));
        }

        /** Go accepts a word only before a space, a delimiter or punctuation that can follow one. */
        private void terminator() throws TemplateSyntaxException {
            if (pos >= in.length()) {
                return;
            }
            char c = in.charAt(pos);
            if (isSpace(c) || ".,|:()=".indexOf(c) >= 0 || in.startsWith("}}", pos)) {
                return;
            }
            throw new TemplateSyntaxException(String.format("bad character U+%04X '%c'", (int) c, c), pos);
        }

        private void number() throws TemplateSyntaxException {
            int start = pos;
            if (in.charAt(pos) == '+' || in.charAt(pos) == '-') {
                pos++;
            }
            String digits = "0123456789_";
            boolean hex = false;
            if (in.startsWith("0x", pos) || in.startsWith("0X", pos)) {
                pos += 2;
                digits = "0123456789abcdefABCDEF_";
                hex = true;
            } else if (in.startsWith("0b", pos) || in.startsWith("0B", pos)) {
                pos += 2;
                digits = "01_";
            } else if (in.startsWith("0o", pos) || in.startsWith("0O", pos)) {
                pos += 2;
                digits = "01234567_";
            }
            int digitsStart = pos;
            accept(digits);
            if (pos < in.length() && in.charAt(pos) == '.') {
                pos++;
                accept(digits);
            }
            if (pos == digitsStart || pos == digitsStart + 1 && in.charAt(digitsStart) == '.') {
                throw new TemplateSyntaxException("bad number syntax: \"" + in.substring(start, Math.min(in.length(), pos + 1)) + "\"", start);
            }
            if (pos < in.length() && (hex ? "pP" : "eE").indexOf(in.charAt(pos)) >= 0) {
                pos++;
                if (pos < in.length() && (in.charAt(pos) == '+' || in.charAt(pos) == '-')) {
                    pos++;
                }
                accept("0123456789_");
            }
            if (pos < in.length() && in.charAt(pos) == 'i') {
                pos++;
            }
            if (pos < in.length() && (isAlphaNumeric(in.charAt(pos)) || in.charAt(pos) == '.')) {
                throw new TemplateSyntaxException("bad number syntax: \"" + in.substring(start, pos + 1) + "\"", start);
            }
            out.add(new Token(Kind.NUMBER, in.substring(start, pos), start));
        }

        private void accept(String valid) {
            while (pos < in.length() && valid.indexOf(in.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private void quoted() throws TemplateSyntaxException {
            int start = pos++;
            while (true) {
                if (pos >= in.length() || in.charAt(pos) == '\n') {
                    throw new TemplateSyntaxException("unterminated quoted string", start);
                }
                char c = in.charAt(pos);
                if (c == '"') {
                    pos++;
                    break;
                }
                if (c == '\\') {
                    pos = escape(pos, '"', start);
                } else {
                    pos++;
                }
            }
            out.add(new Token(Kind.STRING, in.substring(start, pos), start));
        }

        /** Checks the escape at {@code at} as Go's strconv.Unquote does; returns the offset after it. */
        private int escape(int at, char quote, int start) throws TemplateSyntaxException {
            if (at + 1 >= in.length()) {
                throw new TemplateSyntaxException("unterminated quoted string", start);
            }
            char e = in.charAt(at + 1);
            int hexDigits = switch (e) {
                case 'x' -> 2;
                case 'u' -> 4;
                case 'U' -> 8;
                default -> 0;
            };
            if (hexDigits > 0) {
                for (int i = 0; i < hexDigits; i++) {
                    int k = at + 2 + i;
                    if (k >= in.length() || Character.digit(in.charAt(k), 16) < 0) {
                        throw new TemplateSyntaxException("invalid syntax: bad \\" + e + " escape", at);
                    }
                }
                return at + 2 + hexDigits;
            }
            if (e >= '0' && e <= '7') {
                for (int i = 1; i < 3; i++) {
                    int k = at + 1 + i;
                    if (k >= in.length() || in.charAt(k) < '0' || in.charAt(k) > '7') {
                        throw new TemplateSyntaxException("invalid syntax: bad octal escape", at);
                    }
                }
                return at + 4;
            }
            if ("abfnrtv\\".indexOf(e) >= 0 || e == quote) {
                return at + 2;
            }
            throw new TemplateSyntaxException("invalid syntax: unknown escape \\" + e, at);
        }

        private void raw() throws TemplateSyntaxException {
            int start = pos;
            int end = in.indexOf('`', pos + 1);
            if (end < 0) {
                throw new TemplateSyntaxException("unterminated raw quoted string", start);
            }
            pos = end + 1;
            out.add(new Token(Kind.STRING, in.substring(start, pos), start));
        }

        private void character() throws TemplateSyntaxException {
            int start = pos++;
            int chars = 0;
            while (true) {
                if (pos >= in.length() || in.charAt(pos) == '\n') {
                    throw new TemplateSyntaxException("unterminated character constant", start);
                }
                char c = in.charAt(pos);
                if (c == '\'') {
                    pos++;
                    break;
                }
                pos = c == '\\' ? escape(pos, '\'', start) : pos + Character.charCount(in.codePointAt(pos));
                chars++;
            }
            if (chars != 1) {
                throw new TemplateSyntaxException("malformed character constant: " + in.substring(start, pos), start);
            }
            out.add(new Token(Kind.NUMBER, in.substring(start, pos), start));
        }

        private static boolean isSpace(char c) {
            return c == ' ' || c == '\t' || c == '\r' || c == '\n';
        }

        private static boolean isAlphaNumeric(char c) {
            return c == '_' || Character.isLetterOrDigit(c);
        }
    }

    /** Go's template parser, reduced to what decides validity, and the label references. */
    private static final class Parser {
        private final List<Token> tokens;
        private final List<LabelReference> labels = new ArrayList<>();
        /** Open control structures: if, with, range, define, block; each with its variables. */
        private final Deque<Control> controls = new ArrayDeque<>();
        private final Set<String> rootVariables = new HashSet<>(PROMETHEUS_VARIABLES);
        private int at;

        private static final class Control {
            final String keyword;
            final Set<String> variables = new HashSet<>();
            boolean sawElse;

            Control(String keyword) {
                this.keyword = keyword;
            }
        }

        Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        List<LabelReference> parse() throws TemplateSyntaxException {
            while (peek().kind() != Kind.EOF) {
                expect(Kind.LEFT, "{{");
                action();
            }
            if (!controls.isEmpty()) {
                throw new TemplateSyntaxException("unexpected EOF: {{" + controls.peek().keyword + "}} has no {{end}}",
                        peek().offset());
            }
            return List.copyOf(labels);
        }

        private void action() throws TemplateSyntaxException {
            skipSpace();
            Token first = peek();
            if (first.kind() != Kind.KEYWORD) {
                pipeline("command", true, false);
                expect(Kind.RIGHT, "}}");
                return;
            }
            at++;
            switch (first.text()) {
                case "if", "with", "range" -> {
                    Control control = new Control(first.text());
                    controls.push(control);
                    pipeline(first.text(), true, first.text().equals("range"));
                }
                case "else" -> {
                    Control open = controls.peek();
                    if (open == null || !Set.of("if", "with", "range").contains(open.keyword) || open.sawElse) {
                        throw new TemplateSyntaxException("unexpected {{else}}", first.offset());
                    }
                    skipSpace();
                    if (peek().kind() == Kind.KEYWORD && (peek().text().equals("if") || peek().text().equals("with"))) {
                        String chained = next().text();
                        pipeline(chained, true, false);
                    } else {
                        open.sawElse = true;
                    }
                }
                case "end" -> {
                    if (controls.isEmpty()) {
                        throw new TemplateSyntaxException("unexpected {{end}}", first.offset());
                    }
                    controls.pop();
                }
                case "define", "block", "template" -> {
                    if (first.text().equals("define") && !controls.isEmpty()) {
                        throw new TemplateSyntaxException("unexpected {{define}} inside {{" + controls.peek().keyword + "}}",
                                first.offset());
                    }
                    skipSpace();
                    Token name = next();
                    if (name.kind() != Kind.STRING) {
                        throw new TemplateSyntaxException("unexpected \"" + name.text() + "\" in " + first.text()
                                + " clause", name.offset());
                    }
                    skipSpace();
                    if (peek().kind() != Kind.RIGHT || first.text().equals("block")) {
                        pipeline(first.text(), false, false);
                    }
                    if (!first.text().equals("template")) {
                        controls.push(new Control(first.text()));
                    }
                }
                case "break", "continue" -> {
                    if (controls.stream().noneMatch(c -> c.keyword.equals("range"))) {
                        throw new TemplateSyntaxException("{{" + first.text() + "}} outside {{range}}", first.offset());
                    }
                }
                default -> throw new TemplateSyntaxException("unexpected <" + first.text() + "> in command", first.offset());
            }
            skipSpace();
            expect(Kind.RIGHT, "}}");
        }

        /** A pipeline, optionally preceded by a declaration; ends before }} or ). */
        private void pipeline(String context, boolean declarations, boolean twoVariables) throws TemplateSyntaxException {
            skipSpace();
            int start = peek().offset();
            if (declarations && peek().kind() == Kind.VARIABLE) {
                int mark = at;
                List<Token> declared = new ArrayList<>();
                declared.add(next());
                skipSpace();
                if (twoVariables && peek().kind() == Kind.COMMA) {
                    next();
                    skipSpace();
                    if (peek().kind() == Kind.VARIABLE) {
                        declared.add(next());
                        skipSpace();
                    }
                }
                if (peek().kind() == Kind.DECLARE) {
                    next();
                    declared.forEach(v -> currentVariables().add(v.text()));
                } else if (peek().kind() == Kind.ASSIGN && declared.size() == 1) {
                    next();
                    variable(declared.get(0));
                } else {
                    at = mark;
                }
            }
            int commands = 0;
            while (true) {
                skipSpace();
                Kind kind = peek().kind();
                if (kind == Kind.RIGHT || kind == Kind.RPAREN || kind == Kind.EOF) {
                    if (commands == 0) {
                        throw new TemplateSyntaxException("missing value for " + context, start);
                    }
                    return;
                }
                if (commands > 0) {
                    expect(Kind.PIPE, "|");
                    skipSpace();
                }
                command(commands);
                commands++;
            }
        }

        private void command(int stage) throws TemplateSyntaxException {
            int operands = 0;
            String function = null;
            List<Token> args = new ArrayList<>();
            while (true) {
                Kind kind = peek().kind();
                if (kind == Kind.RIGHT || kind == Kind.RPAREN || kind == Kind.PIPE || kind == Kind.EOF) {
                    break;
                }
                Token term = operand();
                if (operands == 0) {
                    boolean literal = Set.of(Kind.BOOL, Kind.DOT, Kind.NUMBER, Kind.STRING).contains(term.kind())
                            || term.kind() == Kind.KEYWORD;
                    if (term.kind() == Kind.KEYWORD && stage == 0) {
                        throw new TemplateSyntaxException("nil is not a command", term.offset());
                    }
                    if (stage > 0 && literal) {
                        throw new TemplateSyntaxException("non executable command in pipeline stage " + (stage + 1),
                                term.offset());
                    }
                    function = term.kind() == Kind.IDENT ? term.text() : null;
                } else {
                    args.add(term);
                }
                operands++;
                Kind after = peek().kind();
                if (after == Kind.SPACE) {
                    skipSpace();
                } else if (after != Kind.RIGHT && after != Kind.RPAREN && after != Kind.PIPE) {
                    throw new TemplateSyntaxException("unexpected " + describe(peek()) + " in operand", peek().offset());
                }
            }
            if (operands == 0) {
                throw new TemplateSyntaxException("missing value for command", peek().offset());
            }
            if ("index".equals(function) && args.size() == 2 && args.get(0).text().equals("$labels")
                    && args.get(1).kind() == Kind.STRING && args.get(1).text().startsWith("\"")) {
                String quoted = args.get(1).text();
                labels.add(new LabelReference(quoted.substring(1, quoted.length() - 1), args.get(1).offset()));
            }
        }

        /** One operand: a term and the fields chained to it; returns the term. */
        private Token operand() throws TemplateSyntaxException {
            Token term = next();
            switch (term.kind()) {
                case IDENT -> {
                    if (!GO_FUNCTIONS.contains(term.text()) && !PROMETHEUS_FUNCTIONS.contains(term.text())) {
                        throw new TemplateSyntaxException("function \"" + term.text() + "\" not defined", term.offset());
                    }
                }
                case VARIABLE -> {
                    variable(term);
                    if (term.text().equals("$labels") && peek().kind() == Kind.FIELD) {
                        labels.add(new LabelReference(peek().text().substring(1), peek().offset()));
                    }
                }
                case FIELD -> {
                    if (term.text().equals(".Labels") && peek().kind() == Kind.FIELD && dotIsTheAlert()) {
                        labels.add(new LabelReference(peek().text().substring(1), peek().offset()));
                    }
                }
                case LPAREN -> {
                    pipeline("parenthesized pipeline", false, false);
                    if (peek().kind() != Kind.RPAREN) {
                        throw new TemplateSyntaxException("unclosed left paren", term.offset());
                    }
                    next();
                }
                case DOT, BOOL, NUMBER, STRING -> {
                }
                case KEYWORD -> {
                    if (!term.text().equals("nil")) {
                        throw new TemplateSyntaxException("unexpected <" + term.text() + "> in operand", term.offset());
                    }
                }
                default -> throw new TemplateSyntaxException("unexpected " + describe(term) + " in operand", term.offset());
            }
            while (peek().kind() == Kind.FIELD) {
                next();
            }
            return term;
        }

        private boolean dotIsTheAlert() {
            return controls.stream().noneMatch(c -> !c.keyword.equals("if"));
        }

        private void variable(Token token) throws TemplateSyntaxException {
            String name = token.text();
            if (rootVariables.contains(name) || controls.stream().anyMatch(c -> c.variables.contains(name))) {
                return;
            }
            throw new TemplateSyntaxException("undefined variable \"" + name + "\"", token.offset());
        }

        private Set<String> currentVariables() {
            return controls.isEmpty() ? rootVariables : controls.peek().variables;
        }

        private void skipSpace() {
            while (peek().kind() == Kind.SPACE) {
                at++;
            }
        }

        private Token peek() {
            return tokens.get(at);
        }

        private Token next() {
            Token token = tokens.get(at);
            if (token.kind() != Kind.EOF) {
                at++;
            }
            return token;
        }

        private void expect(Kind kind, String what) throws TemplateSyntaxException {
            Token token = next();
            if (token.kind() != kind) {
                throw new TemplateSyntaxException("unexpected " + describe(token) + "; expected " + what, token.offset());
            }
        }

        private static String describe(Token token) {
            return switch (token.kind()) {
                case EOF -> "EOF";
                case RIGHT -> "\"}}\"";
                case KEYWORD -> "<" + token.text() + ">";
                default -> "\"" + token.text() + "\"";
            };
        }
    }
}
