package org.projectbeacon.maven.rules;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.projectbeacon.maven.check.CheckId;
import org.projectbeacon.maven.check.Finding;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads Prometheus rule files, plain ({@code groups:}) or Kubernetes {@code PrometheusRule} objects
 * ({@code spec.groups}), into {@link Rule}s with their positions.
 *
 * <p>Hostile input is contained: files over {@link #MAX_BYTES} are refused unread, bytes that are
 * not UTF-8 are a finding, alias expansion is capped (a billion-laughs file is a finding, not an
 * out-of-memory), and recursive anchors are a finding. Nothing here throws on bad content; every
 * problem is a {@code yaml-syntax} or {@code rule-schema} finding naming file, line and column.
 * Stateless and thread-safe.
 */
public final class RuleLoader {

    /** The largest rule file read: 10 MiB. */
    public static final long MAX_BYTES = 10L * 1024 * 1024;

    private static final Set<String> GROUP_KEYS = Set.of("name", "interval", "rules", "limit", "query_offset", "labels");
    private static final Set<String> RULE_KEYS =
            Set.of("alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations");
    private static final Pattern DURATION = Pattern.compile("((\\d+)(ms|s|m|h|d|w|y))+");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");
    private static final Pattern IGNORE = Pattern.compile("#\\s*beacon:ignore\\s+([a-z-]+)");

    private RuleLoader() {}

    /** The YAML and Markdown files below {@code paths} (a file is taken as it is), sorted. */
    public static List<Path> discover(List<Path> paths, Set<String> extensions) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isRegularFile(path)) {
                files.add(path);
            } else if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile)
                            .filter(p -> extensions.stream().anyMatch(ext -> p.getFileName().toString().endsWith(ext)))
                            .sorted()
                            .forEach(files::add);
                }
            } else {
                throw new IOException("path " + path + " does not exist");
            }
        }
        return files;
    }

    /** Reads one rule file; problems become findings, never exceptions. */
    public static RuleFile load(Path file, String displayName) {
        List<Finding> findings = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                findings.add(Finding.of(CheckId.YAML_SYNTAX, displayName, 0, 0, null, null,
                        "file is " + size + " bytes, larger than the " + MAX_BYTES + "-byte limit; not read"));
                return new RuleFile(file, rules, findings);
            }
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            findings.add(Finding.of(CheckId.YAML_SYNTAX, displayName, 0, 0, null, null, "file is not valid UTF-8"));
            return new RuleFile(file, rules, findings);
        } catch (IOException e) {
            findings.add(Finding.of(CheckId.YAML_SYNTAX, displayName, 0, 0, null, null,
                    "cannot read file: " + e.getClass().getSimpleName()));
            return new RuleFile(file, rules, findings);
        }
        if (text.isBlank()) {
            findings.add(Finding.of(CheckId.RULE_SCHEMA, displayName, 1, 1, null, null, "file is empty: no rule groups"));
            return new RuleFile(file, rules, findings);
        }
        String[] lines = text.split("\r?\n", -1);
        LoadSettings settings = LoadSettings.builder()
                .setLabel(displayName)
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(50)
                .setCodePointLimit((int) MAX_BYTES)
                .build();
        Reader reader = new Reader(file, displayName, lines, findings, rules);
        try {
            int documents = 0;
            for (Node document : new Compose(settings).composeAllFromReader(new BufferSafeReader(text))) {
                documents++;
                reader.document(document);
            }
            if (documents == 0) {
                findings.add(Finding.of(CheckId.RULE_SCHEMA, displayName, 1, 1, null, null, "file holds no YAML document"));
            }
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            findings.add(Finding.of(CheckId.YAML_SYNTAX, displayName, mark == null ? 0 : mark.getLine() + 1,
                    mark == null ? 0 : mark.getColumn() + 1, null, null, firstLine(e.getProblem())));
        } catch (YamlEngineException e) {
            findings.add(Finding.of(CheckId.YAML_SYNTAX, displayName, 0, 0, null, null, firstLine(e.getMessage())));
        } catch (StackOverflowError e) {
            findings.add(Finding.of(CheckId.YAML_SYNTAX, displayName, 0, 0, null, null, "YAML nested too deeply"));
        }
        return new RuleFile(file, rules, findings);
    }

    /**
     * Parses a Prometheus duration such as {@code 5m} or {@code 1h30m}.
     *
     * @throws IllegalArgumentException when it is not a duration, or too large for {@link Duration}
     */
    public static Duration parseDuration(String text) {
        if (text == null || !DURATION.matcher(text).matches()) {
            throw new IllegalArgumentException("invalid duration '" + text + "': expected such as 30s, 5m or 1h30m");
        }
        Duration total = Duration.ZERO;
        Matcher part = DURATION_PART.matcher(text);
        try {
            while (part.find()) {
                long amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "d" -> Duration.ofDays(amount);
                    case "w" -> Duration.ofDays(Math.multiplyExact(7, amount));
                    default -> Duration.ofDays(Math.multiplyExact(365, amount));
                });
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // Digits beyond a long, or a sum beyond Duration: a typo, not a crash of the whole check.
            throw new IllegalArgumentException("invalid duration '" + shorten(text) + "': too large");
        }
        return total;
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid YAML";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * A {@link StringReader} that never fills snakeyaml-engine's whole read buffer. Its
     * {@code StreamReader} (2.9) reads into all {@code bufferSize + 1} chars of its buffer and, when
     * the last char read is a high surrogate, reads its low surrogate into the slot after it, which
     * is past the end when the buffer was filled: an {@link IndexOutOfBoundsException} on valid
     * YAML whose 1025th char starts an emoji. Leaving the last slot free on every full-buffer read
     * keeps room for that one char.
     */
    private static final class BufferSafeReader extends java.io.Reader {
        private final StringReader in;

        BufferSafeReader(String text) {
            this.in = new StringReader(text);
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            boolean wholeBuffer = offset == 0 && length == buffer.length && length > 1;
            return in.read(buffer, offset, wholeBuffer ? length - 1 : length);
        }

        @Override
        public void close() {
            in.close();
        }
    }

    /** Walks one file's documents; collects rules and schema findings. */
    private static final class Reader {
        private final Path file;
        private final String name;
        private final String[] lines;
        private final List<Finding> findings;
        private final List<Rule> rules;

        Reader(Path file, String name, String[] lines, List<Finding> findings, List<Rule> rules) {
            this.file = file;
            this.name = name;
            this.lines = lines;
            this.findings = findings;
            this.rules = rules;
        }

        void document(Node document) {
            if (document.isRecursive()) {
                schema(document, "recursive anchor: a node contains itself");
                return;
            }
            if (!(document instanceof MappingNode root)) {
                schema(document, "expected a mapping with 'groups' (or a PrometheusRule with 'spec.groups')");
                return;
            }
            Map<String, Node> top = map(root);
            Node groups = top.get("groups");
            if (groups == null && top.get("spec") instanceof MappingNode spec) {
                groups = map(spec).get("groups");
            } else if (groups == null && top.containsKey("kind")) {
                return; // another Kubernetes object in a multi-document manifest: not ours
            }
            if (groups != null && groups.isRecursive()) {
                schema(groups, "recursive anchor: 'groups' contains itself");
                return;
            }
            if (!(groups instanceof SequenceNode groupList)) {
                schema(groups == null ? root : groups, "expected 'groups' to be a list of rule groups");
                return;
            }
            for (Node group : groupList.getValue()) {
                group(group);
            }
        }

        private void group(Node node) {
            if (!(node instanceof MappingNode mapping)) {
                schema(node, "expected a rule group mapping with 'name' and 'rules'");
                return;
            }
            Map<String, Node> group = map(mapping);
            unknownKeys(group, GROUP_KEYS, "group");
            String groupName = scalar(group.get("name"));
            if (groupName == null || groupName.isBlank()) {
                schema(node, "rule group has no 'name'");
            }
            Node ruleList = group.get("rules");
            if (ruleList != null && ruleList.isRecursive()) {
                schema(ruleList, "recursive anchor: 'rules' of group '" + groupName + "' contains itself");
                return;
            }
            if (!(ruleList instanceof SequenceNode sequence)) {
                schema(ruleList == null ? node : ruleList, "rule group '" + groupName + "' needs 'rules' as a list");
                return;
            }
            for (Node rule : sequence.getValue()) {
                rule(groupName, rule);
            }
        }

        private void rule(String group, Node node) {
            if (node.isRecursive()) {
                schema(node, "recursive anchor: a rule contains itself");
                return;
            }
            if (!(node instanceof MappingNode mapping)) {
                schema(node, "expected a rule mapping with 'alert' or 'record' and 'expr'");
                return;
            }
            Map<String, Node> rule = map(mapping);
            unknownKeys(rule, RULE_KEYS, "rule");
            String alert = scalar(rule.get("alert"));
            String record = scalar(rule.get("record"));
            Node exprNode = rule.get("expr");
            String expr = scalar(exprNode);
            int line = line(node);
            if ((alert == null) == (record == null)) {
                schema(node, alert == null ? "rule has neither 'alert' nor 'record'" : "rule has both 'alert' and 'record'");
                return;
            }
            String ruleName = alert != null ? alert : record;
            if (rule.get("alert") != null && !(rule.get("alert") instanceof ScalarNode)
                    || rule.get("record") != null && !(rule.get("record") instanceof ScalarNode)) {
                schema(node, "rule name must be a string");
                return;
            }
            if (exprNode == null || expr == null || expr.isBlank()) {
                schema(node, ruleName, exprNode == null ? "rule " + ruleName + " has no 'expr'"
                        : "rule " + ruleName + " needs 'expr' to be a non-empty string");
                return;
            }
            Duration forDuration = null;
            String forText = scalar(rule.get("for"));
            if (rule.get("for") != null) {
                if (record != null) {
                    schema(rule.get("for"), ruleName, "recording rule " + ruleName + " cannot have 'for'");
                }
                try {
                    forDuration = parseDuration(forText);
                } catch (IllegalArgumentException e) {
                    schema(rule.get("for"), ruleName, "rule " + ruleName + " has an " + e.getMessage());
                }
            }
            Map<String, Rule.ExprPosition> positions = new LinkedHashMap<>();
            Map<String, String> labels = stringMap(rule.get("labels"), ruleName, "labels", positions);
            Map<String, String> annotations = stringMap(rule.get("annotations"), ruleName, "annotations", positions);
            rules.add(new Rule(file, group, alert != null, ruleName, expr, line, exprPosition(exprNode), forDuration,
                    labels, annotations, suppressions(node), positions));
        }

        private Rule.ExprPosition exprPosition(Node expr) {
            ScalarNode scalar = (ScalarNode) expr;
            Mark start = expr.getStartMark().orElse(null);
            if (start == null) {
                return new Rule.ExprPosition(0, 0, false);
            }
            ScalarStyle style = scalar.getScalarStyle();
            if (style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED) {
                // The text starts on the line after the indicator, at that line's indentation.
                int contentLine = start.getLine() + 1;
                int indent = 0;
                if (contentLine < lines.length) {
                    String text = lines[contentLine];
                    while (indent < text.length() && text.charAt(indent) == ' ') {
                        indent++;
                    }
                }
                return new Rule.ExprPosition(contentLine + 1, indent + 1, style == ScalarStyle.LITERAL);
            }
            boolean quoted = style == ScalarStyle.DOUBLE_QUOTED || style == ScalarStyle.SINGLE_QUOTED;
            return new Rule.ExprPosition(start.getLine() + 1, start.getColumn() + 1 + (quoted ? 1 : 0), false);
        }

        private Set<String> suppressions(Node rule) {
            Set<String> ids = new LinkedHashSet<>();
            int first = rule.getStartMark().map(Mark::getLine).orElse(0);
            int last = rule.getEndMark().map(Mark::getLine).orElse(first);
            // The comment may stand on the line above "- alert:" or anywhere inside the rule.
            for (int i = Math.max(0, first - 1); i <= Math.min(last, lines.length - 1); i++) {
                Matcher matcher = IGNORE.matcher(lines[i]);
                while (matcher.find()) {
                    ids.add(matcher.group(1));
                }
            }
            return ids;
        }

        private Map<String, String> stringMap(Node node, String rule, String field, Map<String, Rule.ExprPosition> positions) {
            Map<String, String> values = new LinkedHashMap<>();
            if (node == null) {
                return values;
            }
            if (!(node instanceof MappingNode mapping)) {
                schema(node, rule, "rule " + rule + " needs '" + field + "' to be a mapping of strings");
                return values;
            }
            for (NodeTuple tuple : mapping.getValue()) {
                String key = scalar(tuple.getKeyNode());
                String value = scalar(tuple.getValueNode());
                if (key == null || value == null) {
                    schema(tuple.getValueNode(), rule, "rule " + rule + " needs every '" + field + "' value to be a string");
                } else {
                    values.put(key, value);
                    positions.put(field + "." + key, exprPosition(tuple.getValueNode()));
                }
            }
            return values;
        }

        private void unknownKeys(Map<String, Node> mapping, Set<String> allowed, String what) {
            mapping.forEach((key, value) -> {
                if (!allowed.contains(key)) {
                    schema(value, "unknown " + what + " field '" + key + "'; expected one of " + new java.util.TreeSet<>(allowed));
                }
            });
        }

        private Map<String, Node> map(MappingNode mapping) {
            Map<String, Node> map = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                String key = scalar(tuple.getKeyNode());
                if (key != null) {
                    map.put(key, tuple.getValueNode());
                }
            }
            return map;
        }

        private static String scalar(Node node) {
            return node instanceof ScalarNode scalar ? scalar.getValue() : null;
        }

        private void schema(Node node, String message) {
            schema(node, null, message);
        }

        private void schema(Node node, String alert, String message) {
            Mark mark = node == null ? null : node.getStartMark().orElse(null);
            findings.add(Finding.of(CheckId.RULE_SCHEMA, name, mark == null ? 0 : mark.getLine() + 1,
                    mark == null ? 0 : mark.getColumn() + 1, alert, null, message));
        }

        private static int line(Node node) {
            return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
        }
    }
}
