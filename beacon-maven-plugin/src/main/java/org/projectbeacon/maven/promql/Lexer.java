package org.projectbeacon.maven.promql;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Splits an expression into tokens, the way Prometheus' {@code promql/parser/lex.go} does.
 *
 * <p>The lexer is modal, like Prometheus': inside braces words are label names and never keywords,
 * and {@code =}, {@code =~}, {@code !~} are matchers; inside brackets {@code :} separates a
 * subquery's range and step instead of belonging to a metric name. It reads the whole input up
 * front in one linear pass and throws {@link PromQlSyntaxException} at the first bad character.
 */
final class Lexer {

    private static final Map<String, TokenType> KEYWORDS = new HashMap<>();

    static {
        KEYWORDS.put("and", TokenType.AND);
        KEYWORDS.put("or", TokenType.OR);
        KEYWORDS.put("unless", TokenType.UNLESS);
        KEYWORDS.put("atan2", TokenType.ATAN2);
        KEYWORDS.put("by", TokenType.BY);
        KEYWORDS.put("without", TokenType.WITHOUT);
        KEYWORDS.put("on", TokenType.ON);
        KEYWORDS.put("ignoring", TokenType.IGNORING);
        KEYWORDS.put("group_left", TokenType.GROUP_LEFT);
        KEYWORDS.put("group_right", TokenType.GROUP_RIGHT);
        KEYWORDS.put("bool", TokenType.BOOL);
        KEYWORDS.put("offset", TokenType.OFFSET);
        KEYWORDS.put("start", TokenType.START);
        KEYWORDS.put("end", TokenType.END);
        // Prometheus lexes these as numbers, so they can never be metric names.
        KEYWORDS.put("inf", TokenType.NUMBER);
        KEYWORDS.put("nan", TokenType.NUMBER);
        for (AggregateOp op : AggregateOp.values()) {
            KEYWORDS.put(op.keyword(), TokenType.AGGREGATOR);
        }
    }

    /** Units in the only order Prometheus accepts them, each at most once. */
    private static final Pattern DURATION =
            Pattern.compile("(?=\\d)(\\d+y)?(\\d+w)?(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?(\\d+ms)?");

    private final Source source;
    private final String in;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int braceOpen = -1;
    private int bracketOpen = -1;

    private Lexer(Source source) {
        this.source = source;
        this.in = source.text;
    }

    static List<Token> tokenize(Source source) {
        Lexer lexer = new Lexer(source);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        while (true) {
            skipSpaceAndComments();
            if (pos >= in.length()) {
                if (braceOpen >= 0) {
                    throw source.error(pos, "unexpected end of expression inside braces: \"{\" at "
                            + source.position(braceOpen) + " is not closed");
                }
                if (bracketOpen >= 0) {
                    throw source.error(pos, "unexpected end of expression inside brackets: \"[\" at "
                            + source.position(bracketOpen) + " is not closed");
                }
                tokens.add(new Token(TokenType.EOF, "", "", pos, pos));
                return;
            }
            if (braceOpen >= 0) {
                lexInsideBraces();
            } else {
                lexStatement();
            }
        }
    }

    private void skipSpaceAndComments() {
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else if (c == '#') {
                while (pos < in.length() && in.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private void lexStatement() {
        int start = pos;
        char c = in.charAt(pos);
        if (c == ':' && bracketOpen >= 0) {
            emit(TokenType.COLON, start, ++pos);
        } else if (isAlpha(c) || c == ':') {
            lexWord(bracketOpen < 0);
        } else if (isDigit(c) || (c == '.' && pos + 1 < in.length() && isDigit(in.charAt(pos + 1)))) {
            lexNumberOrDuration();
        } else if (c == '"' || c == '\'') {
            lexQuotedString(c);
        } else if (c == '`') {
            lexRawString();
        } else {
            lexPunctuation(c, start);
        }
    }

    private void lexPunctuation(char c, int start) {
        pos++;
        char next = pos < in.length() ? in.charAt(pos) : '\0';
        switch (c) {
            case '(' -> emit(TokenType.LEFT_PAREN, start, pos);
            case ')' -> emit(TokenType.RIGHT_PAREN, start, pos);
            case ',' -> emit(TokenType.COMMA, start, pos);
            case '@' -> emit(TokenType.AT, start, pos);
            case '+' -> emit(TokenType.ADD, start, pos);
            case '-' -> emit(TokenType.SUB, start, pos);
            case '*' -> emit(TokenType.MUL, start, pos);
            case '/' -> emit(TokenType.DIV, start, pos);
            case '%' -> emit(TokenType.MOD, start, pos);
            case '^' -> emit(TokenType.POW, start, pos);
            case '{' -> {
                braceOpen = start;
                emit(TokenType.LEFT_BRACE, start, pos);
            }
            case '}' -> throw source.error(start, "unexpected \"}\" without a matching \"{\"");
            case '[' -> {
                if (bracketOpen >= 0) {
                    throw source.error(start, "unexpected \"[\" inside brackets: \"[\" at "
                            + source.position(bracketOpen) + " is not closed");
                }
                bracketOpen = start;
                emit(TokenType.LEFT_BRACKET, start, pos);
            }
            case ']' -> {
                if (bracketOpen < 0) {
                    throw source.error(start, "unexpected \"]\" without a matching \"[\"");
                }
                bracketOpen = -1;
                emit(TokenType.RIGHT_BRACKET, start, pos);
            }
            case '=' -> {
                if (next == '=') {
                    emit(TokenType.EQLC, start, ++pos);
                } else {
                    emit(TokenType.ASSIGN, start, pos);
                }
            }
            case '!' -> {
                if (next != '=') {
                    throw source.error(start, "unexpected character after \"!\": " + describeChar(pos)
                            + "; expected \"!=\"");
                }
                emit(TokenType.NEQ, start, ++pos);
            }
            case '<' -> {
                if (next == '=') {
                    emit(TokenType.LTE, start, ++pos);
                } else {
                    emit(TokenType.LSS, start, pos);
                }
            }
            case '>' -> {
                if (next == '=') {
                    emit(TokenType.GTE, start, ++pos);
                } else {
                    emit(TokenType.GTR, start, pos);
                }
            }
            default -> throw source.error(start, "unexpected character " + describeChar(start));
        }
    }

    private void lexInsideBraces() {
        int start = pos;
        char c = in.charAt(pos);
        if (isAlpha(c)) {
            lexWord(false);
            return;
        }
        if (c == '"' || c == '\'') {
            lexQuotedString(c);
            return;
        }
        if (c == '`') {
            lexRawString();
            return;
        }
        pos++;
        char next = pos < in.length() ? in.charAt(pos) : '\0';
        switch (c) {
            case ',' -> emit(TokenType.COMMA, start, pos);
            case '}' -> {
                braceOpen = -1;
                emit(TokenType.RIGHT_BRACE, start, pos);
            }
            case '=' -> {
                if (next == '~') {
                    emit(TokenType.EQL_REGEX, start, ++pos);
                } else {
                    emit(TokenType.ASSIGN, start, pos);
                }
            }
            case '!' -> {
                if (next == '~') {
                    emit(TokenType.NEQ_REGEX, start, ++pos);
                } else if (next == '=') {
                    emit(TokenType.NEQ, start, ++pos);
                } else {
                    throw source.error(start, "unexpected character after \"!\" inside braces: "
                            + describeChar(pos) + "; expected \"!=\" or \"!~\"");
                }
            }
            case '{' -> throw source.error(start, "unexpected \"{\" inside braces: \"{\" at "
                    + source.position(braceOpen) + " is not closed");
            default -> throw source.error(start, "unexpected character " + describeChar(start) + " inside braces");
        }
    }

    /**
     * A word: a keyword, an identifier, or (outside braces and brackets, where colons are allowed)
     * a metric identifier. Keywords are only recognised in statements, never in braces.
     */
    private void lexWord(boolean colonsAllowed) {
        int start = pos;
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (isAlpha(c) || isDigit(c) || (colonsAllowed && c == ':')) {
                pos++;
            } else {
                break;
            }
        }
        String word = in.substring(start, pos);
        TokenType type = TokenType.IDENTIFIER;
        if (braceOpen < 0) {
            TokenType keyword = KEYWORDS.get(word.toLowerCase(Locale.ROOT));
            if (keyword != null) {
                type = keyword;
            } else if (word.indexOf(':') >= 0) {
                type = TokenType.METRIC_IDENTIFIER;
            }
        }
        emit(type, start, pos);
    }

    private void lexNumberOrDuration() {
        int start = pos;
        int end = scanNumber(start);
        if (end < in.length() && isAlphaNumeric(in.charAt(end))) {
            // Not a plain number: the whole alphanumeric run must be a duration such as 1h30m.
            int runEnd = start;
            while (runEnd < in.length() && (isAlphaNumeric(in.charAt(runEnd)) || in.charAt(runEnd) == '.')) {
                runEnd++;
            }
            String text = in.substring(start, runEnd);
            if (!DURATION.matcher(text).matches()) {
                throw source.error(start, "bad number or duration \"" + text + "\": a duration is whole numbers"
                        + " with units y, w, d, h, m, s, ms, largest first and each at most once, such as 5m or 1h30m");
            }
            pos = runEnd;
            emit(TokenType.DURATION, start, pos);
            return;
        }
        pos = end;
        emit(TokenType.NUMBER, start, pos);
    }

    /** The end of the longest number starting at {@code start}; the caller checks what follows. */
    private int scanNumber(int start) {
        int i = start;
        if (in.startsWith("0x", i) || in.startsWith("0X", i)) {
            i += 2;
            while (i < in.length() && (isHexDigit(in.charAt(i)) || in.charAt(i) == '_')) {
                i++;
            }
            return i;
        }
        i = digits(i);
        if (i < in.length() && in.charAt(i) == '.') {
            i = digits(i + 1);
        }
        if (i < in.length() && (in.charAt(i) == 'e' || in.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < in.length() && (in.charAt(j) == '+' || in.charAt(j) == '-')) {
                j++;
            }
            if (j < in.length() && isDigit(in.charAt(j))) {
                i = digits(j);
            }
        }
        return i;
    }

    private int digits(int i) {
        while (i < in.length() && (isDigit(in.charAt(i)) || in.charAt(i) == '_')) {
            i++;
        }
        return i;
    }

    /**
     * A string in double or single quotes, with Go's escapes. As in Go, {@code \x} and octal
     * escapes are bytes, so the value is assembled as UTF-8 and decoded at the end.
     */
    private void lexQuotedString(char quote) {
        int start = pos++;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            if (pos >= in.length()) {
                throw source.error(start, "unterminated quoted string: " + quote + " at "
                        + source.position(start) + " is not closed");
            }
            char c = in.charAt(pos);
            if (c == quote) {
                pos++;
                break;
            }
            if (c == '\n') {
                throw source.error(start, "unterminated quoted string: " + quote + " at " + source.position(start)
                        + " is not closed on its line (only backtick strings may span lines)");
            }
            if (c == '\\') {
                lexEscape(quote, bytes);
                continue;
            }
            int codePoint = in.codePointAt(pos);
            pos += Character.charCount(codePoint);
            bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
        }
        emit(TokenType.STRING, start, pos, new String(bytes.toByteArray(), StandardCharsets.UTF_8));
    }

    private void lexEscape(char quote, ByteArrayOutputStream bytes) {
        int backslash = pos++;
        if (pos >= in.length()) {
            throw source.error(backslash, "escape sequence not terminated");
        }
        char c = in.charAt(pos++);
        switch (c) {
            case 'a' -> bytes.write(0x07);
            case 'b' -> bytes.write(0x08);
            case 'f' -> bytes.write(0x0C);
            case 'n' -> bytes.write('\n');
            case 'r' -> bytes.write('\r');
            case 't' -> bytes.write('\t');
            case 'v' -> bytes.write(0x0B);
            case '\\' -> bytes.write('\\');
            case 'x' -> bytes.write(escapedNumber(backslash, pos, 2, 16, 255));
            case 'u' -> writeCodePoint(bytes, backslash, escapedNumber(backslash, pos, 4, 16, Character.MAX_CODE_POINT));
            case 'U' -> writeCodePoint(bytes, backslash, escapedNumber(backslash, pos, 8, 16, Character.MAX_CODE_POINT));
            default -> {
                if (c == quote) {
                    bytes.write(c);
                } else if (c >= '0' && c <= '7') {
                    bytes.write(escapedNumber(backslash, pos - 1, 3, 8, 255));
                } else {
                    // Go, and so Prometheus, reject what Java or JavaScript would let through, such as \. in a regex.
                    throw source.error(backslash, "unknown escape sequence " + describeCodePoint(in.codePointAt(pos - 1)));
                }
            }
        }
    }

    /** Reads {@code count} digits in {@code base} from {@code from}, leaving {@code pos} after them. */
    private int escapedNumber(int backslash, int from, int count, int base, int max) {
        long value = 0;
        int i = from;
        for (int n = 0; n < count; n++, i++) {
            if (i >= in.length()) {
                throw source.error(backslash, "escape sequence not terminated");
            }
            int digit = Character.digit(in.charAt(i), base);
            if (digit < 0 || !isAsciiAlphanumeric(in.charAt(i))) {
                throw source.error(i, "illegal character " + describeCodePoint(in.codePointAt(i)) + " in escape sequence");
            }
            value = value * base + digit;
        }
        pos = i;
        if (value > max || (value >= 0xD800 && value < 0xE000)) {
            throw source.error(backslash, "escape sequence is an invalid Unicode code point");
        }
        return (int) value;
    }

    private static void writeCodePoint(ByteArrayOutputStream bytes, int backslash, int codePoint) {
        bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
    }

    private void lexRawString() {
        int start = pos;
        int close = in.indexOf('`', start + 1);
        if (close < 0) {
            throw source.error(start, "unterminated raw string: ` at " + source.position(start) + " is not closed");
        }
        pos = close + 1;
        emit(TokenType.STRING, start, pos, in.substring(start + 1, close));
    }

    private void emit(TokenType type, int start, int end) {
        String text = in.substring(start, end);
        tokens.add(new Token(type, text, text, start, end));
    }

    private void emit(TokenType type, int start, int end, String value) {
        tokens.add(new Token(type, in.substring(start, end), value, start, end));
    }

    private String describeChar(int offset) {
        return offset < in.length() ? describeCodePoint(in.codePointAt(offset)) : "end of expression";
    }

    /** A character the way Go's {@code %#U} shows it: {@code U+002E '.'}. */
    private static String describeCodePoint(int codePoint) {
        String hex = String.format("U+%04X", codePoint);
        boolean printable = !Character.isISOControl(codePoint) && Character.isDefined(codePoint)
                && !Character.isWhitespace(codePoint);
        return printable ? hex + " '" + new String(Character.toChars(codePoint)) + "'" : hex;
    }

    private static boolean isAlpha(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isAlphaNumeric(char c) {
        return isAlpha(c) || isDigit(c);
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return c < 0x80 && isAlphaNumeric(c);
    }
}
