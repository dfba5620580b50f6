package org.projectbeacon.maven.runbook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Markdown runbook: alert sections, heading anchors and the metrics it names.
 *
 * <p>An alert section is a heading followed, before the next heading, by a line
 * {@code **Alert**: `Name`} and optionally {@code **Symptoms**: ...} (the format of Beacon's seed
 * runbook, mis-encoded emoji and all). A heading that is itself an identifier is also an alert
 * section for an alert of that name; when it is the title of a file of that name (one runbook per
 * alert, as in prometheus-operator's runbooks) it declares the alert.
 *
 * <p>Metric references are the backticked names in the items under a "Key Metrics" heading, any
 * code span that is a single metric-like name ({@code outbox_oldest_unpublished_age_seconds}), and
 * the pattern of a {@code grep} applied to a {@code /metrics} scrape in a code span or block
 * ({@code curl .../metrics | grep jobs_} names the prefix {@code jobs_}). Other greps, of logs for
 * instance, name no metric. Stateless and thread-safe.
 */
public final class RunbookParser {

    /** The largest runbook read, in bytes. */
    public static final long MAX_BYTES = 8L * 1024 * 1024;

    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```|~~~)");
    private static final Pattern ALERT = Pattern.compile("^\\s*\\*\\*Alert\\*\\*\\s*:\\s*`([^`]+)`");
    // Possessive and greedy: a lazy group before trailing "\\s*$" backtracked quadratically on long lines.
    private static final Pattern SYMPTOMS = Pattern.compile("^\\s*+\\*\\*Symptoms\\*\\*\\s*+:\\s*+(.*\\S)");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_:]*");
    /** An identifier with a capital or an underscore after its first letter: CamelCase alert names, not "Overview". */
    private static final Pattern ALERT_LIKE = Pattern.compile("[A-Za-z][a-z0-9]*[A-Z_][A-Za-z0-9_]*");
    private static final Pattern BULLET = Pattern.compile("^\\s*([-*+]|\\d+[.)])\\s+");
    private static final Pattern METRICS_PATH = Pattern.compile("/metrics\\b");
    /** Matched only from the first {@link #METRICS_PATH}: trying from every one was quadratic. */
    private static final Pattern METRICS_GREP = Pattern.compile("/metrics\\b.*?\\|\\s*grep\\s+((?:-\\S+\\s+)*)(['\"]?)([A-Za-z0-9_:]+)\\2");

    private RunbookParser() {}

    /**
     * Reads and parses {@code file}.
     *
     * @throws IOException when the file cannot be read, is larger than {@link #MAX_BYTES}, or is
     *     not UTF-8; the message names the file
     */
    public static Runbook parse(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("runbook " + file + " does not exist or is not a file");
        }
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new IOException("runbook " + file + " is " + size + " bytes, larger than the " + MAX_BYTES + "-byte limit");
        }
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException("runbook " + file + " is not valid UTF-8");
        }
        return parse(file, text);
    }

    /** Parses {@code text} as the content of {@code file}. */
    public static Runbook parse(Path file, String text) {
        String[] lines = text.split("\r?\n", -1);
        List<RunbookSection> sections = new ArrayList<>();
        List<Runbook.Heading> headings = new ArrayList<>();
        List<MetricReference> metrics = new ArrayList<>();
        Map<String, Integer> anchorCounts = new HashMap<>();
        String fileStem = stem(file);

        int start = frontMatterEnd(lines);
        boolean inCode = false;
        String fence = null;
        Runbook.Heading current = null;
        RunbookSection currentSection = null;
        boolean inKeyMetrics = false;
        for (int i = start; i < lines.length; i++) {
            String line = lines[i];
            int lineNumber = i + 1;
            Matcher fenceMatcher = FENCE.matcher(line);
            if (fenceMatcher.find()) {
                if (!inCode) {
                    inCode = true;
                    fence = fenceMatcher.group(1);
                } else if (fence.equals(fenceMatcher.group(1))) {
                    inCode = false;
                }
                continue;
            }
            if (inCode) {
                addGrepReference(line, lineNumber, metrics);
                continue;
            }
            int level = headingLevel(line);
            if (level > 0) {
                String title = headingTitle(line, level);
                String anchor = uniqueAnchor(anchor(title), anchorCounts);
                current = new Runbook.Heading(title, anchor, level, lineNumber);
                headings.add(current);
                inKeyMetrics = title.toLowerCase(Locale.ROOT).contains("key metrics");
                currentSection = null;
                boolean titleOfItsFile = current.level() == 1 && title.equals(fileStem);
                if (titleOfItsFile || ALERT_LIKE.matcher(title).matches()) {
                    currentSection = new RunbookSection(title, title, anchor, lineNumber, null, 0, titleOfItsFile);
                    sections.add(currentSection);
                }
                continue;
            }
            Matcher alert = ALERT.matcher(line);
            if (alert.find() && current != null) {
                if (currentSection != null && !currentSection.declared()) {
                    sections.remove(currentSection);
                }
                currentSection = new RunbookSection(alert.group(1).trim(), current.text(), current.anchor(),
                        current.line(), null, 0, true);
                sections.add(currentSection);
                continue;
            }
            Matcher symptoms = SYMPTOMS.matcher(line);
            if (symptoms.find() && currentSection != null && currentSection.symptoms() == null) {
                RunbookSection withSymptoms = new RunbookSection(currentSection.alert(), currentSection.heading(),
                        currentSection.anchor(), currentSection.line(), symptoms.group(1), lineNumber,
                        currentSection.declared());
                sections.set(sections.indexOf(currentSection), withSymptoms);
                currentSection = withSymptoms;
            }
            addSpanReferences(line, lineNumber, inKeyMetrics && BULLET.matcher(line).find(), metrics);
        }
        return new Runbook(file, sections, headings, metrics);
    }

    /**
     * The level of an ATX heading ({@code ## Title}): 1 to 6 hashes then whitespace; 0 when the line
     * is no heading. By hand rather than by a regular expression: the obvious one,
     * {@code ^(#{1,6})\s+(.*?)\s*#*\s*$}, backtracks quadratically on a long line of hashes
     * or spaces, and a runbook may be 8 MB.
     */
    private static int headingLevel(String line) {
        int level = 0;
        while (level < line.length() && line.charAt(level) == '#') {
            level++;
        }
        if (level < 1 || level > 6 || level == line.length() || !isSpace(line.charAt(level))) {
            return 0;
        }
        // As with the expression, whose "." stops at them: a line break inside the title (a lone
        // carriage return, U+2028...) means no heading.
        return headingTitle(line, level).chars().anyMatch(c -> "\r\n\u0085\u2028\u2029".indexOf(c) >= 0) ? 0 : level;
    }

    /** The text of a heading: without the hashes, surrounding whitespace and a closing run of hashes. */
    private static String headingTitle(String line, int level) {
        int start = level;
        while (start < line.length() && isSpace(line.charAt(start))) {
            start++;
        }
        int end = line.length();
        while (end > start && isSpace(line.charAt(end - 1))) {
            end--;
        }
        while (end > start && line.charAt(end - 1) == '#') {
            end--;
        }
        while (end > start && isSpace(line.charAt(end - 1))) {
            end--;
        }
        return line.substring(start, end);
    }

    /**
     * Whether {@code text} is metric-like: {@code [a-z_:][a-z0-9_:]*} with an underscore after the
     * first character. By hand: as a regular expression it backtracked quadratically on a long run of
     * underscores.
     */
    private static boolean isMetricName(String text) {
        if (text.isEmpty() || !(text.charAt(0) >= 'a' && text.charAt(0) <= 'z' || text.charAt(0) == '_' || text.charAt(0) == ':')) {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == ':')) {
                return false;
            }
        }
        return text.indexOf('_', 1) > 0;
    }

    /** Java's {@code \s}: space, tab, line feed, vertical tab, form feed, carriage return. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static void addSpanReferences(String line, int lineNumber, boolean keyMetricsItem, List<MetricReference> metrics) {
        Matcher span = CODE_SPAN.matcher(line);
        while (span.find()) {
            String content = span.group(1).trim();
            int column = span.start(1) + 1;
            if (isMetricName(content)
                    || (keyMetricsItem && IDENTIFIER.matcher(content).matches())) {
                metrics.add(new MetricReference(content, content.endsWith("_"), lineNumber, column));
            } else {
                addGrepReference(content, lineNumber, column - 1, metrics);
            }
        }
    }

    private static void addGrepReference(String line, int lineNumber, List<MetricReference> metrics) {
        addGrepReference(line, lineNumber, 0, metrics);
    }

    private static void addGrepReference(String text, int lineNumber, int offset, List<MetricReference> metrics) {
        // A match from a later "/metrics" sees only part of what one from an earlier start sees, unless
        // a line break ("." stops there) lies between them: try one start per line, not every start.
        Matcher path = METRICS_PATH.matcher(text);
        Matcher grep = METRICS_GREP.matcher(text);
        int nextLine = -1;
        while (path.find()) {
            if (path.start() < nextLine) {
                continue;
            }
            if (grep.region(path.start(), text.length()).lookingAt()) {
                metrics.add(new MetricReference(grep.group(3), true, lineNumber, offset + grep.start(3) + 1));
                return;
            }
            nextLine = lineBreakAfter(text, path.start());
        }
    }

    private static int lineBreakAfter(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            if ("\n\r\u0085\u2028\u2029".indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }

    /** The GitHub anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
    public static String anchor(String heading) {
        StringBuilder anchor = new StringBuilder(heading.length());
        String lower = heading.toLowerCase(Locale.ROOT).trim();
        for (int i = 0; i < lower.length(); ) {
            int codePoint = lower.codePointAt(i);
            if (Character.isLetterOrDigit(codePoint) || codePoint == '-' || codePoint == '_') {
                anchor.appendCodePoint(codePoint);
            } else if (codePoint == ' ') {
                anchor.append('-');
            }
            i += Character.charCount(codePoint);
        }
        return anchor.toString();
    }

    private static String uniqueAnchor(String anchor, Map<String, Integer> counts) {
        int seen = counts.merge(anchor, 1, Integer::sum);
        return seen == 1 ? anchor : anchor + "-" + (seen - 1);
    }

    private static int frontMatterEnd(String[] lines) {
        if (lines.length > 0 && lines[0].trim().equals("---")) {
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].trim().equals("---")) {
                    return i + 1;
                }
            }
        }
        return 0;
    }

    private static String stem(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return "";
        }
        String s = name.toString();
        int dot = s.lastIndexOf('.');
        return dot < 0 ? s : s.substring(0, dot);
    }

    /** For tests and reports: the references by name. */
    static Map<String, MetricReference> byName(List<MetricReference> metrics) {
        Map<String, MetricReference> map = new LinkedHashMap<>();
        metrics.forEach(m -> map.putIfAbsent(m.name(), m));
        return map;
    }
}
