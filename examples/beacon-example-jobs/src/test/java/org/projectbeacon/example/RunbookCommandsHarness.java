package org.projectbeacon.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectbeacon.example.RunbookCommands.Command;
import org.projectbeacon.outbox.RedisServerProcess;
import org.projectbeacon.resilience.TestServices;

/**
 * The runbook-commands test of both example runners (the plain one's {@code RunbookCommandsIT} and
 * the Spring Boot one's extend it with their jar): every command line of the plain example's
 * {@code docs/runbook.md} runs verbatim, with bash, against the runner started as the README's quick start says - {@code java -jar} of the packaged
 * jar in a working directory that holds {@code runner.env} (here: PostgreSQL in a schema of this
 * test's own, a {@code redis-server} of its own because the example's stream key {@code runner:jobs}
 * is fixed, an admin token, a free port and {@code BEACON_RUNNER_JAR}, the jar the runbook's process
 * and restart lines name) - in that directory, after the Overview's
 * {@code set -a; . ./runner.env; set +a} and {@code export ADMIN_TOKEN=$BEACON_ADMIN_TOKEN}.
 *
 * <p>Commands are found by {@link RunbookCommands}: each line of the {@code ```bash} blocks and the
 * inline code spans whose first word is a command, less its short list of prose spans. A command fails the test when it exits non-zero, prints a bare error JSON
 * ({@code {"error": ...}}), or prints nothing unless {@link #MAY_PRINT_NOTHING} says why it may.
 * {@code $ID} is bound to a real id for each command: the unpublished job the list shows for the
 * outbox commands, the dead-lettered job for the requeue, else a completed job. The restart line of
 * "Runner Down" runs after the runner was killed (SIGKILL) and the restarted runner must have the
 * same database (a job created before is readable), the admin API and Redis.
 *
 * <p>Before the commands, a short drill gives the log greps real lines to match: jobs through a
 * failing region (breaker transitions, fallbacks), and a job failing for good (a dead letter).
 * Each command's output is written to {@code target/runbook-commands.log}.
 */
public abstract class RunbookCommandsHarness {

    static final String TOKEN = "runbook-admin-token-0123456789";
    static final Path REPORT = Path.of("target", "runbook-commands.log");

    /** Substrings of commands that may print nothing, with the reason. */
    static final Map<String, String> MAY_PRINT_NOTHING = Map.of(
            "set -a; . ./runner.env; set +a", "the Overview's first line only loads settings",
            "export ADMIN_TOKEN=$BEACON_ADMIN_TOKEN", "the Overview's second line only sets the token variable",
            "[ -z \"$BEACON_IPFS_API\" ] ||", "IPFS is simulated in this run: the real-daemon check does nothing by design",
            "nohup java -jar", "the restarted runner writes to runner.out and runner.log");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    /** The runbook, relative to the module (failsafe runs there). */
    private final Path runbook;
    /** Where {@code mvn package} puts the jar, relative to the module. */
    private final Path jar;
    /** The jar as the README names it, relative to the checkout: the runner.env's {@code BEACON_RUNNER_JAR}. */
    private final String jarInCheckout;
    /** The artifact id, found in the runner's command line. */
    private final String artifact;

    /**
     * @param runbook the runbook, relative to the module
     * @param artifact the runner's artifact id, such as {@code beacon-runner-example}; its jar is
     *     {@code target/<artifact>-0.1.0-SNAPSHOT.jar} and {@code examples/<artifact>/target/...} in the checkout
     */
    protected RunbookCommandsHarness(Path runbook, String artifact) {
        this.runbook = runbook;
        this.artifact = artifact;
        this.jar = Path.of("target", artifact + "-0.1.0-SNAPSHOT.jar");
        this.jarInCheckout = "examples/" + artifact + "/target/" + artifact + "-0.1.0-SNAPSHOT.jar";
    }

    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final StringBuilder report = new StringBuilder();
    private RedisServerProcess redis;
    private String schema;
    private int port;
    private Process runner;
    private String javaBin;

    @BeforeEach
    void startTheExampleAsTheReadmeSays() throws Exception {
        assertThat(jar).as("the packaged jar (mvn package runs before the integration tests)").isRegularFile();
        TestServices.requirePostgres();
        if (!RunbookCommands.onPath("redis-cli")) {
            TestServices.unavailable("redis-cli", "the runbook's Redis check needs redis-cli");
        }
        schema = TestServices.prefix("runbook").replaceAll("_$", "");
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl()); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        redis = RedisServerProcess.start();
        port = TestServices.closedPort();
        javaBin = Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().toString();
        // The working directory looks like a checkout where the README's commands ran: the jar at its
        // path, runner.env beside it. The database URL has '&', so it is single-quoted as the README says.
        Path jarLink = workDir.resolve(jarInCheckout);
        Files.createDirectories(jarLink.getParent());
        Files.createSymbolicLink(jarLink, jar.toAbsolutePath());
        String base = TestServices.postgresUrl();
        String dbUrl = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        Files.writeString(workDir.resolve("runner.env"), String.join("\n",
                "# written as the README's quick start says, on PostgreSQL and Redis",
                "BEACON_DB_URL='" + dbUrl + "'",
                "BEACON_REDIS_URI=" + redis.uri(),
                "BEACON_ADMIN_TOKEN=" + TOKEN,
                "BEACON_PORT=" + port,
                "BEACON_RUNNER_JAR=" + jarInCheckout, ""));
        ProcessBuilder builder = new ProcessBuilder(javaBin + "/java", "-jar", jarInCheckout)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("runner.out").toFile());
        cleanEnvironment(builder.environment());
        runner = builder.start();
        awaitLive();
    }

    @AfterEach
    void stopEverything() throws Exception {
        try {
            Files.createDirectories(REPORT.getParent());
            Files.writeString(REPORT, report);
            for (ProcessHandle p : runnersInWorkDir()) {
                p.destroyForcibly();
                p.onExit().get(30, TimeUnit.SECONDS);
            }
            if (runner != null) {
                runner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
            if (schema != null) {
                try (Connection c = DriverManager.getConnection(TestServices.postgresUrl()); Statement st = c.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
    }

    @Test
    void everyRunbookCommandWorksVerbatim() throws Exception {
        List<Command> commands = RunbookCommands.commands(Files.readAllLines(runbook, StandardCharsets.UTF_8));
        assertThat(commands).as("commands found in " + runbook).hasSizeGreaterThan(20);

        String completed = fallbackDrill();
        // Every region fails: a job fails for good, into the dead letter queue.
        admin("POST", "/api/v1/admin/faults", "{\"target\":\"provider\",\"region\":\"*\",\"failure_rate\":1.0}", 201);
        awaitStatus(submit("{\"type\":\"render\",\"payload\":{\"frame\":2}}"), "FAILED");
        admin("DELETE", "/api/v1/admin/faults", null, 200);
        String deadLetter = JSON.readTree(send("GET", "/api/v1/admin/dlq", null, true).body()).at("/items/0/id").asText();

        List<String> failures = new ArrayList<>();
        String unpublished = null;
        for (Command command : commands) {
            String id = completed;
            if (command.text().contains("/outbox/unpublished") || command.text().contains("/republish")) {
                if (unpublished == null) {
                    // A stuck job: the publisher is paused, so its outbox message stays unpublished.
                    admin("POST", "/api/v1/admin/faults", "{\"target\":\"publisher\",\"paused\":true}", 201);
                    unpublished = submit("{\"type\":\"render\",\"payload\":{\"frame\":3}}");
                }
                id = unpublished;
            } else if (command.text().contains("/dlq/requeue")) {
                id = deadLetter;
            }
            if (command.text().contains("nohup java -jar")) {
                failures.addAll(restart(command, completed));
                // negotiation_probes_total and beacon_region_fallbacks_total appear with the first probe
                // and fallback, which a restarted runner has not made yet: traffic again, as in production.
                fallbackDrill();
                continue;
            }
            Result result = run(command, id);
            failures.addAll(verdict(command, result));
            if (command.text().contains("/outbox/unpublished") && !result.stdout().contains(unpublished)) {
                failures.add(describe(command, result, "the list does not show the unpublished job " + unpublished));
            }
            if (command.text().contains("/republish")) {
                if (!result.stdout().contains("\"due\":true")) {
                    failures.add(describe(command, result, "the unpublished job was not made due"));
                }
                admin("DELETE", "/api/v1/admin/faults", null, 200); // the publisher resumes
                awaitStatus(unpublished, "COMPLETED");
                unpublished = null;
            }
            if (command.text().contains("/dlq/requeue") && !result.stdout().contains("\"requeued\":1")) {
                failures.add(describe(command, result, "the dead-lettered job was not requeued"));
            }
        }
        assertThat(failures).as("runbook commands that do not work verbatim (outputs in " + REPORT.toAbsolutePath()
                + ")").isEmpty();
        assertThat(Files.readString(workDir.resolve("runner.log"))).as("runner.log")
                .contains("processed in", "failed for good", "circuit breaker golem-lhr changed state")
                .doesNotContain(TOKEN);
        assertThat(Files.readString(workDir.resolve("runner.out"))).as("runner.out").doesNotContain(TOKEN);
        List<String> allSpans = Files.readAllLines(runbook).stream().flatMap(line -> RunbookCommands.spans(line).stream()).toList();
        assertThat(allSpans).as("every NOT_COMMANDS entry is still in the runbook")
                .containsAll(RunbookCommands.NOT_COMMANDS.keySet());
    }

    /**
     * A job through lhr, then lhr failing for 12 jobs (its breaker opens, jobs fall back to fra), so
     * that the log greps and the probe and fallback metrics have real lines; returns the first job.
     */
    private String fallbackDrill() throws Exception {
        String completed = submit("{\"type\":\"render\",\"payload\":{\"frame\":1},\"region\":\"lhr\"}");
        awaitStatus(completed, "COMPLETED");
        admin("POST", "/api/v1/admin/faults", "{\"target\":\"provider\",\"region\":\"lhr\",\"failure_rate\":1.0}", 201);
        List<String> fallbacks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            fallbacks.add(submit("{\"type\":\"render\",\"payload\":{},\"region\":\"lhr\"}"));
        }
        for (String id : fallbacks) {
            awaitStatus(id, "COMPLETED");
        }
        admin("DELETE", "/api/v1/admin/faults", null, 200);
        return completed;
    }

    // ---- running them ----

    record Result(int exit, String stdout, String stderr) {}

    private Result run(Command command, String id) throws Exception {
        String script = "set -a; . ./runner.env; set +a\nexport ADMIN_TOKEN=$BEACON_ADMIN_TOKEN\nID='" + id + "'\n"
                + command.text();
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).directory(workDir.toFile());
        cleanEnvironment(builder.environment());
        Path out = Files.createTempFile(workDir, "cmd", ".out");
        Path err = Files.createTempFile(workDir, "cmd", ".err");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly); // a hung curl, not only its bash
            process.destroyForcibly();
            return new Result(-1, Files.readString(out), "timed out after " + COMMAND_TIMEOUT);
        }
        Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        report.append("### runbook.md:").append(command.line()).append(" (ID=").append(id).append(")\n$ ")
                .append(command.text().strip()).append("\n").append(result.stdout())
                .append(result.stderr().isEmpty() ? "" : "[stderr] " + result.stderr())
                .append("[exit ").append(result.exit()).append("]\n\n");
        return result;
    }

    private static List<String> verdict(Command command, Result result) {
        List<String> failures = new ArrayList<>();
        if (result.exit() != 0) {
            failures.add(describe(command, result, "exit " + result.exit()));
        } else if (isErrorJson(result.stdout())) {
            failures.add(describe(command, result, "an error JSON"));
        } else if (result.stdout().isBlank()
                && MAY_PRINT_NOTHING.keySet().stream().noneMatch(command.text()::contains)) {
            failures.add(describe(command, result, "no output"));
        }
        return failures;
    }

    /** Beacon's error answers are exactly {@code {"error": "..."}}; health details with an error field are not. */
    static boolean isErrorJson(String output) {
        try {
            JsonNode node = JSON.readTree(output);
            return node != null && node.isObject() && node.size() == 1 && node.has("error");
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(Command command, Result result, String what) {
        return "runbook.md:" + command.line() + " `" + command.text().strip() + "`: " + what + "; stdout "
                + shorten(result.stdout()) + ", stderr " + shorten(result.stderr());
    }

    private static String shorten(String text) {
        String t = text.strip();
        return "'" + (t.length() > 300 ? t.substring(0, 300) + "..." : t) + "'";
    }

    // ---- Runner Down: the restart line ----

    /**
     * Kills the runner as a crash would, runs the restart line and checks that the restarted runner
     * has what the first one had: the same database, the admin API, Redis.
     */
    private List<String> restart(Command command, String jobBefore) throws Exception {
        runner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        List<String> failures = new ArrayList<>(verdict(command, run(command, jobBefore)));
        if (!failures.isEmpty()) {
            return failures;
        }
        await("the runner restarted by runbook.md:" + command.line() + " (see " + workDir.resolve("runner.out") + ")")
                .atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> !runnersInWorkDir().isEmpty());
        awaitLive();
        HttpResponse<String> job = send("GET", "/api/v1/jobs/" + jobBefore, null, false);
        if (job.statusCode() != 200 || !job.body().contains("COMPLETED")) {
            failures.add("runbook.md:" + command.line() + ": the restarted runner does not read job " + jobBefore
                    + " of the same database: " + job.statusCode() + " " + job.body());
        }
        HttpResponse<String> publisher = send("GET", "/api/v1/admin/outbox/publisher", null, true);
        if (publisher.statusCode() != 200) {
            failures.add("runbook.md:" + command.line() + ": the restarted runner's admin API answers "
                    + publisher.statusCode() + " " + publisher.body());
        }
        try {
            await("Redis UP in the restarted runner's /health/ready").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500)).until(this::redisUp);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            failures.add("runbook.md:" + command.line() + ": the restarted runner has no Redis: "
                    + send("GET", "/health/ready", null, false).body());
        }
        return failures;
    }

    private boolean redisUp() throws Exception {
        JsonNode ready = JSON.readTree(send("GET", "/health/ready", null, false).body());
        for (JsonNode service : ready.path("services")) {
            if ("redis".equals(service.path("name").asText()) && "UP".equals(service.path("status").asText())) {
                return true;
            }
        }
        return false;
    }

    /** The example runners whose working directory is this test's: the restarted one has no Process object here. */
    private List<ProcessHandle> runnersInWorkDir() throws IOException {
        Path dir = workDir.toRealPath();
        List<ProcessHandle> found = new ArrayList<>();
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            Optional<String[]> args = p.info().arguments();
            if (args.isEmpty() || !String.join(" ", args.get()).contains(artifact)) {
                continue;
            }
            try {
                if (Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).equals(dir)) {
                    found.add(p);
                }
            } catch (IOException | UnsupportedOperationException e) {
                // gone meanwhile, or not ours to read
            }
        }
        return found;
    }

    // ---- HTTP ----

    private void awaitLive() {
        await("the runner on port " + port + " serving /health/live (see " + workDir.resolve("runner.out") + ")")
                .atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
                    if (runner != null && !runner.isAlive() && runnersInWorkDir().isEmpty()) {
                        throw new IllegalStateException("the runner exited: " + Files.readString(workDir.resolve("runner.out")));
                    }
                    try {
                        return send("GET", "/health/live", null, false).statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    private String submit(String body) throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/jobs", body, false);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("id").asText();
    }

    private void awaitStatus(String id, String status) {
        await("job " + id + " " + status).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    HttpResponse<String> job = send("GET", "/api/v1/jobs/" + id, null, false);
                    return job.statusCode() == 200 && status.equals(JSON.readTree(job.body()).path("status").asText());
                });
    }

    private void admin(String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> response = send(method, path, body, true);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
    }

    private HttpResponse<String> send(String method, String path, String body, boolean admin)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (admin) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The test's own environment must not configure the runner or the commands: runner.env does. */
    private void cleanEnvironment(Map<String, String> env) {
        env.keySet().removeIf(key -> key.startsWith("BEACON_") || key.equals("ADMIN_TOKEN") || key.equals("ID"));
        env.put("PATH", javaBin + File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));
    }
}
