package org.projectbeacon.example.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.projectbeacon.outbox.DeadLetter;
import org.projectbeacon.outbox.DeadLetterFilter;
import org.projectbeacon.outbox.DeadLetterQueue;
import org.projectbeacon.outbox.InProcessSink;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.resilience.TestServices;

/**
 * The operator console's acceptance tests (issue #14) in a real browser: the example runner in a JVM
 * of its own on PostgreSQL and a Redis of the test's own, a poison job's dead letter made through
 * the drill faults and an XSS dead letter, then {@code src/test/console/console.spec.mjs} driving
 * Debian's {@code /usr/bin/chromium} with {@code playwright-core} (installed by {@code npm ci} from
 * the committed lock file into {@code target/console-test/}, no browser download). The spec's
 * screenshots go to {@code target/console-screenshots/}. With {@code CI=true} a missing chromium,
 * node or npm fails the test instead of skipping it.
 */
class ConsoleBrowserIT {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("BEACON_CHROMIUM", "/usr/bin/chromium"));
    static final Path SPEC_SOURCES = Path.of("src", "test", "console");
    static final Path WORK = Path.of("target", "console-test");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final String XSS = "<img src=x onerror=alert(1)>";
    static final String BREAKER = "golem-lhr";
    static final Duration SPEC_TIMEOUT = Duration.ofMinutes(5);

    private final E2eHttp http = new E2eHttp();
    private E2eEnvironment env;

    @AfterEach
    void tearDown() throws Exception {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void theConsoleInChromium() throws Exception {
        if (!requireTools()) {
            return;
        }
        env = E2eEnvironment.create("console", http);
        RunnerProcess runner = env.startRunner("console");
        int port = runner.port();

        // The poison job: IPFS refuses every fetch, so each attempt fails and the job is dead-lettered.
        http.fault(port, "{\"target\":\"ipfs\",\"failure_rate\":1}");
        HttpResponse<String> posted = http.post(port, "/api/v1/jobs", "{\"type\":\"render\",\"payload\":{\"poison\":true}}", false);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        String jobId = E2eHttp.json(posted.body()).get("id").asText();
        await("job " + jobId + " FAILED (log " + runner.log() + ")").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300)).until(() -> "FAILED".equals(status(port, jobId)));
        // The cause is fixed: IPFS answers again and its breaker, opened by the failures, is closed.
        http.fault(port, "{\"target\":\"ipfs\",\"failure_rate\":0}");
        HttpResponse<String> reset = http.post(port, "/api/v1/admin/circuit-breakers/ipfs/reset", "", true);
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);

        DeadLetterQueue dlq = deadLetters();
        DeadLetter poison = dlq.list(DeadLetterFilter.all(), 0, 100).stream()
                .filter(d -> new String(d.message().payload(), StandardCharsets.UTF_8).equals(jobId))
                .findFirst().orElseThrow(() -> new AssertionError("no dead letter carries job " + jobId));
        long poisonCount = dlq.count(new DeadLetterFilter(null, poison.errorClass(), null, null));
        // The XSS letter: an error message that would run script if the page rendered it as HTML.
        dlq.add(new OutboxRecord(UUID.randomUUID(), E2eEnvironment.STREAM, "xss", "not-a-job".getBytes(StandardCharsets.UTF_8),
                "text/plain", Map.of(), Instant.now(), 1), 1, new IllegalArgumentException(XSS));

        Path log = Path.of("target", "e2e", "console-spec.log").toAbsolutePath();
        int exit = runSpec(Map.of(
                "CONSOLE_URL", "http://127.0.0.1:" + port,
                "CONSOLE_TOKEN", E2eHttp.TOKEN,
                "POISON_JOB_ID", jobId,
                "POISON_ERROR", poison.errorClass(),
                "POISON_COUNT", Long.toString(poisonCount),
                "XSS_TEXT", XSS,
                "BREAKER", BREAKER,
                "SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString(),
                "CHROMIUM", CHROMIUM.toString()), log);
        assertThat(exit).as("console.spec.mjs exit status; its output:%n%s%nrunner log: %s",
                Files.readString(log), runner.log()).isZero();
        assertThat(status(port, jobId)).isEqualTo("COMPLETED");
        assertThat(Files.readString(runner.log())).as("the runner's audit log lines")
                .contains("admin audit: action=\"POST circuit-breakers/{name}/reset\"")
                .contains("actor=oncall-alice")
                .contains("actor=anonymous")
                .doesNotContain(E2eHttp.TOKEN);
    }

    /** Whether chromium, node and npm are here; without them the test skips, or fails with CI=true. */
    private static boolean requireTools() {
        for (String tool : List.of(CHROMIUM.toString(), "node", "npm")) {
            boolean found = tool.startsWith("/") ? new File(tool).canExecute() : onPath(tool);
            if (!found) {
                TestServices.unavailable(tool, tool + " is not installed (Debian: apt-get install chromium nodejs npm)");
                return false;
            }
        }
        return true;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Copies the spec and its lock file to target/, installs playwright-core once, runs the spec. */
    private static int runSpec(Map<String, String> variables, Path log) throws Exception {
        Files.createDirectories(WORK);
        Files.createDirectories(log.getParent());
        for (String file : List.of("package.json", "package-lock.json", "console.spec.mjs")) {
            Files.copy(SPEC_SOURCES.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(log, "");
        if (!Files.isRegularFile(WORK.resolve("node_modules/playwright-core/package.json"))) {
            int installed = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), log, Duration.ofMinutes(3));
            assertThat(installed).as("npm ci in %s; output:%n%s", WORK, Files.readString(log)).isZero();
        }
        return run(List.of("node", "console.spec.mjs"), variables, log, SPEC_TIMEOUT);
    }

    private static int run(List<String> command, Map<String, String> variables, Path log, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(variables);
        // playwright-core never downloads a browser; this keeps any other package from trying.
        builder.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(command + " did not finish within " + timeout + "; output:\n" + Files.readString(log));
        }
        return process.exitValue();
    }

    private String status(int port, String jobId) throws Exception {
        JsonNode job = E2eHttp.json(http.get(port, "/api/v1/jobs/" + jobId, false).body());
        return job.path("status").asText();
    }

    /** The runner's dead letter queue, opened by the test on the scenario's schema. */
    private DeadLetterQueue deadLetters() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(env.dbUrl());
        OutboxConfig config = OutboxConfig.builder().dialect(OutboxDialect.postgresql()).tablePrefix("runner_").build();
        return DeadLetterQueue.create(ds, config, new InProcessSink());
    }
}
