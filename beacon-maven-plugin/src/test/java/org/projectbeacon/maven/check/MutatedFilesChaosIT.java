package org.projectbeacon.maven.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectbeacon.resilience.ReliabilityRecord;
import org.projectbeacon.resilience.metrics.CoreMetricCatalog;

/**
 * A thousand mutated rule files and runbooks through the same {@link AlertVerifier} the Mojo calls:
 * every run must end in findings (or, for a mutation that changed nothing that matters, a clean
 * result) or in a {@link VerificationException} naming the problem; no other exception, no hang.
 * Seeds are the example runner's rules and runbook (always in the repository) plus, where
 * {@code ../shared/corpus} is present, its rule files and runbooks. The seed is printed;
 * {@code -Dbeacon.chaos.seed=N} replays a run.
 */
class MutatedFilesChaosIT {

    static final int MUTANTS = 1_000;
    static final Path EXAMPLE = Path.of("../examples/beacon-runner-example");

    @TempDir
    Path dir;

    @Test
    void everyMutantEndsInAFindingOrAClearError() throws Exception {
        long seed = Long.getLong("beacon.chaos.seed", System.nanoTime());
        System.out.println("MutatedFilesChaosIT seed " + seed + " (replay with -Dbeacon.chaos.seed=" + seed + ")");
        Random random = new Random(seed);
        String exampleRules = Files.readString(EXAMPLE.resolve("src/main/prometheus/alerts.yml"));
        String exampleRunbook = Files.readString(EXAMPLE.resolve("docs/runbook.md"));
        List<String> ruleSeeds = new ArrayList<>(List.of(exampleRules));
        List<String> runbookSeeds = new ArrayList<>(List.of(exampleRunbook));
        addCorpus(ruleSeeds, runbookSeeds);

        Instant started = Instant.now();
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mutant-runner");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < MUTANTS; i++) {
                boolean mutateRules = i % 2 == 0;
                String operator = OPERATORS[random.nextInt(OPERATORS.length)];
                String rules = mutateRules ? mutate(operator, ruleSeeds.get(random.nextInt(ruleSeeds.size())), random)
                        : exampleRules;
                String runbook = mutateRules ? exampleRunbook
                        : mutate(operator, runbookSeeds.get(random.nextInt(runbookSeeds.size())), random);
                Path rulesFile = dir.resolve("alerts-" + i + ".yml");
                Path runbookFile = dir.resolve("runbook-" + i + ".md");
                Files.write(rulesFile, rules.getBytes(StandardCharsets.ISO_8859_1));
                Files.write(runbookFile, runbook.getBytes(StandardCharsets.ISO_8859_1));
                Future<AlertVerifier.Result> run = runner.submit(() -> AlertVerifier.verify(new AlertVerifier.Input(dir,
                        List.of(rulesFile), List.of(runbookFile), List.of(), List.of(),
                        List.of(new CoreMetricCatalog(), AlertVerifierTest.OTHERS), List.of())));
                String outcome;
                try {
                    AlertVerifier.Result result = run.get(20, TimeUnit.SECONDS);
                    outcome = result.findings().isEmpty() ? "clean" : "findings";
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof VerificationException && cause.getMessage() != null && !cause.getMessage().isBlank()) {
                        outcome = "clear error";
                    } else {
                        outcome = "uncaught";
                        failures.add("mutant " + i + " (" + operator + " on " + (mutateRules ? "rules" : "runbook")
                                + "): " + cause);
                    }
                } catch (TimeoutException e) {
                    outcome = "hang";
                    failures.add("mutant " + i + " (" + operator + ") ran over 20 s");
                    run.cancel(true);
                    runner.shutdownNow();
                    runner = Executors.newSingleThreadExecutor();
                }
                outcomes.merge(outcome, 1, Integer::sum);
                outcomes.merge("op " + operator, 1, Integer::sum);
                Files.deleteIfExists(rulesFile);
                Files.deleteIfExists(runbookFile);
            }
        } finally {
            runner.shutdownNow();
        }

        StringBuilder notes = new StringBuilder();
        outcomes.forEach((k, v) -> notes.append(notes.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        ReliabilityRecord.of("plugin-mutants", "verify-alerts on mutated rule files and runbooks",
                MUTANTS, -1, outcomes.getOrDefault("uncaught", 0) + outcomes.getOrDefault("hang", 0), -1, started,
                notes + "; " + ruleSeeds.size() + " rule and " + runbookSeeds.size() + " runbook seeds; seed " + seed).write();
        assertThat(failures).as("uncaught exceptions or hangs").isEmpty();
    }

    // ---- seeds ----

    private static void addCorpus(List<String> rules, List<String> runbooks) throws IOException {
        Path corpus = null;
        for (String base : new String[] {"../../shared/corpus", "../shared/corpus"}) {
            if (Files.isDirectory(Path.of(base))) {
                corpus = Path.of(base);
            }
        }
        if (corpus == null) {
            System.out.println("[SKIPPED corpus seeds] ../shared/corpus is not on this machine; mutating the example's files only");
            return;
        }
        try (Stream<Path> files = Files.walk(corpus)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = f.getFileName().toString();
                if ((name.endsWith(".yml") || name.endsWith(".yaml")) && Files.size(f) < 200_000) {
                    rules.add(Files.readString(f));
                } else if (name.endsWith(".md") && f.toString().contains("runbooks") && Files.size(f) < 200_000) {
                    runbooks.add(Files.readString(f));
                }
            }
        }
    }

    // ---- mutations: text is handled as ISO-8859-1 so any byte survives the round trip ----

    static final String[] OPERATORS = {
        "flip-bytes", "truncate", "delete-line", "duplicate-line", "swap-lines", "indent", "unicode", "expr",
        "empty", "binary", "deep-nesting", "long-line", "headings", "alias-bomb", "tabs",
    };

    static String mutate(String operator, String seedText, Random r) {
        String text = new String(seedText.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int line = r.nextInt(lines.size());
        switch (operator) {
            case "flip-bytes" -> {
                char[] c = text.toCharArray();
                for (int i = 0, n = 1 + r.nextInt(8); i < n && c.length > 0; i++) {
                    c[r.nextInt(c.length)] = (char) r.nextInt(256);
                }
                return new String(c);
            }
            case "truncate" -> {
                return text.substring(0, r.nextInt(text.length() + 1));
            }
            case "delete-line" -> lines.remove(line);
            case "duplicate-line" -> lines.add(line, lines.get(line));
            case "swap-lines" -> {
                int other = r.nextInt(lines.size());
                String a = lines.get(line);
                lines.set(line, lines.get(other));
                lines.set(other, a);
            }
            case "indent" -> lines.set(line, " ".repeat(1 + r.nextInt(3)) + lines.get(line).stripLeading()
                    .substring(0, Math.max(0, lines.get(line).stripLeading().length() - r.nextInt(2))));
            case "unicode" -> {
                String[] odd = {"\u0000", "\uFEFF", "\u202E", "\uD800", "\uDFFF", "\u00e9", "\uFFFF", "\u0085", "\u2028", "\u001b[31m"};
                String insert = new String(odd[r.nextInt(odd.length)].getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
                int at = r.nextInt(lines.get(line).length() + 1);
                lines.set(line, lines.get(line).substring(0, at) + insert + lines.get(line).substring(at));
            }
            case "expr" -> {
                String[] bad = {"rate(x[5x])", "sum(rate(jobs_failed_total[5m])", "foo_unknown(up)", "1e999999 > up",
                    "(".repeat(5_000) + "up" + ")".repeat(5_000), "up{job=\"" + "x".repeat(100_000) + "\"}",
                    "histogram_quantile(0.95, up)", "up offset -", "up @ start(", "{}", "sum by (a,, b) (up)",
                    "label_replace(up, \"a\", \"$1\", \"b\", \"(\")", "\"unterminated", "up[5m:1m:1m]", "rate(up[1y2y])"};
                String replacement = bad[r.nextInt(bad.length)];
                boolean replaced = false;
                for (int i = 0; i < lines.size() && !replaced; i++) {
                    int idx = lines.get((line + i) % lines.size()).indexOf("expr:");
                    if (idx >= 0) {
                        lines.set((line + i) % lines.size(), lines.get((line + i) % lines.size()).substring(0, idx) + "expr: '"
                                + replacement.replace("'", "''") + "'");
                        replaced = true;
                    }
                }
                if (!replaced) {
                    lines.add("`" + replacement + "`");
                }
            }
            case "empty" -> {
                return r.nextBoolean() ? "" : "\n\n   \n";
            }
            case "binary" -> {
                byte[] b = new byte[1 + r.nextInt(4_096)];
                r.nextBytes(b);
                return new String(b, StandardCharsets.ISO_8859_1);
            }
            case "deep-nesting" -> {
                int depth = 1_000 + r.nextInt(20_000);
                lines.add(line, r.nextBoolean() ? "x: " + "[".repeat(depth) + "]".repeat(depth)
                        : "- ".repeat(Math.min(depth, 3_000)) + "a");
            }
            case "long-line" -> lines.add(line, "# " + "y".repeat(1_000_000));
            case "headings" -> {
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).startsWith("#") && r.nextBoolean()) {
                        lines.set(i, r.nextBoolean() ? lines.get(i).replaceFirst("^#+\\s*", "") : "#######" + lines.get(i));
                    }
                }
            }
            case "alias-bomb" -> {
                StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
                for (char c = 'b'; c <= 'k'; c++) {
                    bomb.append(c).append(": &").append(c).append(" [");
                    for (int k = 0; k < 9; k++) {
                        bomb.append(k == 0 ? "" : ",").append('*').append((char) (c - 1));
                    }
                    bomb.append("]\n");
                }
                return bomb + text;
            }
            case "tabs" -> lines.set(line, lines.get(line).replace("  ", "\t"));
            default -> throw new IllegalArgumentException("operator " + operator);
        }
        return String.join("\n", lines);
    }
}
