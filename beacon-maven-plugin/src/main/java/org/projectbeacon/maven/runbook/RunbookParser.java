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

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```|~~~)");
    private static final Pattern ALERT = Pattern.compile("^\\s*\\*\\*Alert\\*\\*\\s*:\\s*`([^`]+)`");
    private static final Pattern SYMPTOMS = Pattern.compile("^\\s*\\*\\*Symptoms\\*\\*\\s*:\\s*(.+?)\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_:]*");
    /** An identifier with a capital or an underscore after its first letter: CamelCase alert names, not "Overview". */
    private static final Pattern ALERT_LIKE = Pattern.compile("[A-Za-z][a-z0-9]*[A-Z_][A-Za-z0-9_]*");
    private static final Pattern METRIC_NAME = Pattern.compile("[a-z_:][a-z0-9_:]*_[a-z0-9_:]*");
    private static final Pattern BULLET = Pattern.compile("^\\s*([-*+]|\\d+[.)])\\s+");
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
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String title = heading.group(2);
                String anchor = uniqueAnchor(anchor(title), anchorCounts);
                current = new Runbook.Heading(title, anchor, heading.group(1).length(), lineNumber);
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

    private static void addSpanReferences(String line, int lineNumber, boolean keyMetricsItem, List<MetricReference> metrics) {
        Matcher span = CODE_SPAN.matcher(line);
        while (span.find()) {
            String content = span.group(1).trim();
            int column = span.start(1) + 1;
            if (METRIC_NAME.matcher(content).matches()
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
        Matcher grep = METRICS_GREP.matcher(text);
        if (grep.find()) {
            metrics.add(new MetricReference(grep.group(3), true, lineNumber, offset + grep.start(3) + 1));
        }
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
