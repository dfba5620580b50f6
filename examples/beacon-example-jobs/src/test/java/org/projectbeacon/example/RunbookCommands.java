package org.projectbeacon.example;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command lines of a Markdown runbook, for {@link RunbookCommandsHarness}: each logical line of the
 * {@code ```bash} blocks (continuations joined, comments and blank lines dropped) and each inline
 * code span whose first word is a command, less {@link #NOT_COMMANDS} and the {@link #DRILL_LINE} lines. Other fences (console
 * transcripts) are not commands. Stateless.
 */
public final class RunbookCommands {

    /** Code spans whose first word is a command but which are prose, with the reason. */
    public static final Map<String, String> NOT_COMMANDS = Map.of(
            "redis-cli -u", "prose in the Overview: names the option the Redis commands use",
            "redis-cli -h", "prose in the Overview: names the option for a Sentinel or Cluster node");

    /**
     * Lines that start so hold a drill (a fault and minutes of load that make an alert fire), not a step
     * on-call runs: {@code scripts/drills.sh} runs every drill against a real Prometheus and records
     * whether its alert fired (docs/DRILLS.md), and {@code DrillsScriptTest} checks that every alert has one.
     */
    public static final String DRILL_LINE = "**Drill**:";

    /** Words that start a command even when not installed here, so such a line fails instead of being skipped. */
    public static final Set<String> COMMAND_WORDS = Set.of("curl", "grep", "tail", "pgrep", "redis-cli", "jq", "java", "nohup",
            "ipfs", "set", "export", "[", "kill", "systemctl", "psql", "mvn");

    private static final Pattern SPAN = Pattern.compile("`([^`]+)`");

    /** One command of the runbook: the line it starts on (1-based) and its text. */
    public record Command(int line, String text) {}

    private RunbookCommands() {}

    /**
     * The commands of the ```bash blocks (one per logical line: continuations joined, comments and
     * blank lines dropped) and the inline spans that are commands, in document order.
     */
    public static List<Command> commands(List<String> lines) {
        List<Command> commands = new ArrayList<>();
        StringBuilder block = null;
        int blockLine = 0;
        boolean otherFence = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (block != null) {
                if (trimmed.equals("```")) {
                    if (!block.isEmpty()) {
                        commands.add(new Command(blockLine, block.toString()));
                    }
                    block = null;
                } else if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    if (block.isEmpty()) {
                        blockLine = i + 1;
                    }
                    block.append(line).append('\n');
                    if (!trimmed.endsWith("\\")) {
                        commands.add(new Command(blockLine, block.toString()));
                        block.setLength(0);
                    }
                }
                continue;
            }
            if (otherFence) {
                otherFence = !trimmed.equals("```");
                continue;
            }
            if (trimmed.equals("```bash")) {
                block = new StringBuilder();
                blockLine = i + 1;
                continue;
            }
            if (trimmed.startsWith("```")) {
                otherFence = true; // console transcripts and other fences are not commands
                continue;
            }
            if (trimmed.startsWith(DRILL_LINE)) {
                continue;
            }
            for (String span : spans(line)) {
                if (isCommand(span) && !NOT_COMMANDS.containsKey(span)) {
                    commands.add(new Command(i + 1, span));
                }
            }
        }
        return commands;
    }

    public static List<String> spans(String text) {
        List<String> spans = new ArrayList<>();
        Matcher m = SPAN.matcher(text);
        while (m.find()) {
            spans.add(m.group(1));
        }
        return spans;
    }

    /** A span is a command when its first word is a known command word or an executable on PATH. */
    public static boolean isCommand(String span) {
        String first = span.strip().split("\\s+", 2)[0];
        return COMMAND_WORDS.contains(first) || (first.matches("[a-z][a-z0-9-]*") && onPath(first));
    }

    /** Whether {@code word} is an executable in a directory of {@code PATH}. */
    public static boolean onPath(String word) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, word))) {
                return true;
            }
        }
        return false;
    }
}
