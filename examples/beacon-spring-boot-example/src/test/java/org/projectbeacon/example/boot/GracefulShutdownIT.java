package org.projectbeacon.example.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.projectbeacon.resilience.TestServices;

/**
 * Issue #13's "graceful shutdown loses no job", end to end: the Boot example runs in a JVM of its own
 * on real PostgreSQL and Redis (BEACON_PG_URL, BEACON_REDIS_URI; tables and keys under a prefix of
 * each scenario), as an operator starts it ({@code java -jar} on the repackaged jar, {@code java -cp}
 * when it was not built). Jobs are slowed by the {@code ipfs} latency fault so one is in hand, the
 * process gets {@code SIGTERM} mid-flight while a client keeps posting, it is started again, and
 * every job it answered 202 is read back: each ends COMPLETED or FAILED, none ran twice
 * ({@code processed_count <= 1}), the process exited 0, every refusal during the stop was a 503 with
 * {@code Retry-After}, and the published outbox rows, kept until their job was done, are deleted by
 * the reconciler. Two scenarios: the jobs in hand finish within the consumer's grace, or outlast it
 * and are handed back.
 */
class GracefulShutdownIT {

    private static final String TOKEN = "graceful-shutdown-it-token";
    private static final Path JAR = Path.of("target", "beacon-spring-boot-example-0.1.0-SNAPSHOT.jar");
    /** Jobs posted before the stop. */
    private static final int JOBS = 20;
    /** How long the jobs in hand are let run past the SIGTERM in the hand-back scenario. */
    private static final String SHORT_GRACE = "1s";
    /** A Boot start on a shared 2-core machine. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** Grace for the jobs in hand (20 s) plus the web server's drain and the rest of the close. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /** After the restart: entries left pending are claimed after 25 s idle, leases expire after 20 s. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int port;
    /** Tables and keys of the scenario running, its own. */
    private String prefix;
    private Path log;

    @BeforeAll
    static void services() {
        TestServices.requirePostgres();
        TestServices.requireRedis();
    }

    @AfterEach
    void stopApp() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Jobs of 3 s each: the one in hand finishes within the consumer's 20 s grace (while the client
     * reads 503s: the job just started when the SIGTERM came), the rest wait for the restart.
     */
    @Test
    void sigtermMidFlightLosesNoAcceptedJobAndRunsNoneTwice() throws Exception {
        scenario("finish", 3000, List.of());
    }

    /**
     * Jobs of 5 s each and a grace of 1 s: the job in hand is interrupted and handed back (its lease
     * released, its entry pending), and the restarted runner claims it and runs it once.
     */
    @Test
    void jobsInHandPastTheGraceAreHandedBackAndRunOnceAfterTheRestart() throws Exception {
        scenario("handback", 5000, List.of("--beacon.consumer.stop-grace=" + SHORT_GRACE));
        assertThat(Files.readString(log)).as("the stop handed a job back (log %s)", log.toAbsolutePath())
                .contains("jobs still running after PT1S");
    }

    /**
     * Starts the runner with {@code extraArgs}, slows each bundle fetch to {@code ipfsLatencyMs} so
     * the consumer has a job in hand, posts jobs, SIGTERMs it while one RUNS and a client keeps
     * posting, starts it again without the fault and reads every accepted job back.
     */
    private void scenario(String name, int ipfsLatencyMs, List<String> extraArgs) throws Exception {
        prefix = TestServices.prefix("bootstop_" + name);
        log = Path.of("target", "graceful-shutdown-it", name + ".log");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // the restart serves where the client already sends
        }
        start(extraArgs);
        HttpResponse<String> fault = send(request("/api/v1/admin/faults").header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"target\":\"ipfs\",\"latency_ms\":" + ipfsLatencyMs + "}")));
        assertThat(fault.statusCode()).as(fault.body()).isBetween(200, 299);

        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            HttpResponse<String> answer = postJob(i);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            accepted.add(JSON.readTree(answer.body()).get("id").asText());
        }
        await("a job RUNNING").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> anyRunning(accepted));

        // A client that keeps posting through the stop, until the server no longer answers.
        List<String> answers = new CopyOnWriteArrayList<>();
        List<String> acceptedDuringStop = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean posting = new AtomicBoolean(true);
        Thread client = new Thread(() -> postUntilRefused(posting, answers, acceptedDuringStop), "graceful-it-client");
        client.start();
        process.destroy(); // SIGTERM
        boolean exited = process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        posting.set(false);
        client.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(exited).as("stopped within %s after SIGTERM (log %s)", STOP_TIMEOUT, log.toAbsolutePath()).isTrue();
        assertThat(process.exitValue()).as("exit code of a graceful stop (log %s)", log.toAbsolutePath()).isZero();
        assertThat(answers).as("answers to the posts during the stop: only 202 or 503 with Retry-After")
                .allMatch(a -> a.equals("202") || a.equals("503 Retry-After"));
        assertThat(answers).as("the stop refused new jobs with 503 + Retry-After while it finished the jobs in hand")
                .contains("503 Retry-After");
        accepted.addAll(acceptedDuringStop);
        assertThat(outboxRows("published_at IS NOT NULL"))
                .as("published rows of jobs not done yet are kept in the outbox (KEEP_UNTIL_DONE) while the runner is down")
                .isPositive();

        start(extraArgs); // no fault now: the jobs left run at full speed
        Map<String, JsonNode> last = new LinkedHashMap<>();
        try {
            await("every accepted job COMPLETED or FAILED").atMost(SETTLE_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        for (String id : accepted) {
                            JsonNode known = last.get(id);
                            if (known == null || !finished(known)) {
                                last.put(id, job(id));
                            }
                        }
                        return last.values().stream().allMatch(GracefulShutdownIT::finished);
                    });
        } finally {
            List<String> unfinished = last.entrySet().stream().filter(e -> !finished(e.getValue()))
                    .map(e -> e.getKey() + " " + e.getValue()).toList();
            assertThat(unfinished).as("accepted jobs not finished (log %s)", log.toAbsolutePath()).isEmpty();
        }
        for (String id : accepted) {
            JsonNode job = job(id);
            assertThat(job.get("processed_count").asInt()).as("%s ran at most once: %s", id, job).isLessThanOrEqualTo(1);
        }
        // Published rows were kept until their job was done (KEEP_UNTIL_DONE); the reconciler deletes them now.
        await("the reconciler deleting the rows of done jobs").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).until(() -> outboxRows("TRUE") == 0);
    }

    private long outboxRows(String where) throws SQLException {
        try (Connection connection = DriverManager.getConnection(TestServices.postgresUrl());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + prefix + "_outbox WHERE " + where)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static boolean finished(JsonNode job) {
        String status = job.path("status").asText();
        return status.equals("COMPLETED") || status.equals("FAILED");
    }

    /** Posts a job every 20 ms and records each answer until the server refuses connections or time is up. */
    private void postUntilRefused(AtomicBoolean posting, List<String> answers, List<String> accepted) {
        for (int i = JOBS; posting.get(); i++) {
            try {
                HttpResponse<String> answer = postJob(i);
                if (answer.statusCode() == 202) {
                    accepted.add(JSON.readTree(answer.body()).get("id").asText());
                    answers.add("202");
                } else {
                    answers.add(answer.statusCode() + (answer.headers().firstValue("Retry-After").isPresent()
                            ? " Retry-After" : " " + answer.body()));
                }
                Thread.sleep(20);
            } catch (IOException e) {
                return; // the server stopped listening: the stop is past its intake phase
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void start(List<String> extraArgs) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // Small heap, C1 only, serial GC: the machine's 2 cores are shared; start-up dominates.
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        if (Files.isRegularFile(JAR)) {
            command.addAll(List.of("-jar", JAR.toString()));
        } else {
            // Failsafe's manifest-only jar hides the classpath; it also publishes it here.
            command.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    BootRunner.class.getName()));
        }
        command.addAll(List.of("--server.port=" + port, "--server.address=127.0.0.1",
                "--spring.datasource.url=" + TestServices.postgresUrl(),
                "--beacon.sink.redis-uri=" + TestServices.redisUri(),
                "--example.prefix=" + prefix));
        command.addAll(extraArgs);
        Files.createDirectories(log.getParent());
        Files.writeString(log, "=== start on port " + port + System.lineSeparator(), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("BEACON_ADMIN_TOKEN", TOKEN);
        process = builder.start();
        await("the Boot runner serving /health/live (log " + log.toAbsolutePath() + ")").atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(250)).until(this::live);
    }

    private boolean live() throws InterruptedException {
        if (!process.isAlive()) {
            throw new IllegalStateException("the Boot runner exited with " + process.exitValue() + "; see "
                    + log.toAbsolutePath());
        }
        try {
            return send(request("/health/live").GET()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    private HttpResponse<String> postJob(int i) throws IOException, InterruptedException {
        return send(request("/api/v1/jobs").header("Content-Type", "application/json")
                .header("Idempotency-Key", prefix + "-" + i)
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"render\",\"payload\":{\"frame\":" + i + "}}")));
    }

    private boolean anyRunning(List<String> ids) throws IOException, InterruptedException {
        for (String id : ids) {
            if ("RUNNING".equals(job(id).path("status").asText())) {
                return true;
            }
        }
        return false;
    }

    private JsonNode job(String id) throws IOException, InterruptedException {
        return JSON.readTree(send(request("/api/v1/jobs/" + id).GET()).body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
