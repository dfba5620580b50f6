package org.projectbeacon.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.projectbeacon.maven.check.AlertVerifier;
import org.projectbeacon.resilience.spi.MetricCatalog;

/**
 * verify-alerts in process: the checker the Mojo calls ({@link AlertVerifier}) on the example
 * runner's rules and runbook, and on every rule file and runbook of {@code ../shared/corpus} in one
 * call. Reports the first (cold: class loading, JIT) run and the median of 10 more. The Maven goal's
 * own wall time inside a real build is measured by {@code benchmarks/run.sh}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.projectbeacon.benchmarks.VerifyAlertsBenchmark [corpus-dir]
 * </pre>
 */
public final class VerifyAlertsBenchmark {

    private VerifyAlertsBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path example = Path.of("examples/beacon-runner-example");
        Path corpus = Path.of(args.length > 0 ? args[0] : "../shared/corpus");
        List<MetricCatalog> catalogs = new ArrayList<>();
        ServiceLoader.load(MetricCatalog.class).forEach(catalogs::add);
        AlertVerifier.Input exampleInput = new AlertVerifier.Input(example,
                List.of(example.resolve("src/main/prometheus/alerts.yml")), List.of(example.resolve("docs/runbook.md")),
                List.of(), List.of(), catalogs, List.of());
        System.out.println();
        System.out.println("| input | goal | first run | median of 10 | findings | result |");
        System.out.println("|---|---|---:|---:|---:|---|");
        row("example runner (1 rule file, 1 runbook)", "≤ 3 s", exampleInput, 3_000);
        if (Files.isDirectory(corpus)) {
            List<Path> rules = new ArrayList<>();
            List<Path> runbooks = new ArrayList<>();
            try (Stream<Path> files = Files.walk(corpus)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".yml") || name.endsWith(".yaml")) {
                        rules.add(f);
                    } else if (name.endsWith(".md") && f.toString().contains("runbooks")) {
                        runbooks.add(f);
                    }
                }
            }
            row("`../shared/corpus` (" + rules.size() + " rule files, " + runbooks.size() + " runbooks)", "≤ 10 s",
                    new AlertVerifier.Input(corpus, rules, runbooks, List.of(), List.of(), catalogs, List.of()), 10_000);
        } else {
            System.out.println("| `../shared/corpus` | ≤ 10 s | – | – | – | not run: " + corpus + " is missing |");
        }
        System.out.println();
    }

    private static void row(String name, String goal, AlertVerifier.Input input, double goalMillis) throws Exception {
        long t0 = System.nanoTime();
        AlertVerifier.Result first = AlertVerifier.verify(input);
        double firstMillis = (System.nanoTime() - t0) / 1e6;
        List<Double> runs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long t = System.nanoTime();
            AlertVerifier.verify(input);
            runs.add((System.nanoTime() - t) / 1e6);
        }
        runs.sort(null);
        double median = runs.get(runs.size() / 2);
        System.out.printf(Locale.ROOT, "| %s | %s | %.0f ms | %.0f ms | %d | %s |%n", name, goal, firstMillis, median,
                first.findings().size(), firstMillis <= goalMillis ? "met" : "not met");
    }
}
