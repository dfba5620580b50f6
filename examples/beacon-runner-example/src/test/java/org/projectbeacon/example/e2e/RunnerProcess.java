package org.projectbeacon.example.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.projectbeacon.example.RunnerMain;

/**
 * One example runner in a JVM of its own, started as an operator would ({@code java -jar} on the
 * packaged jar, or {@code java -cp} on the test classpath when the jar was not built), on a fixed
 * port so that a restart serves where clients already send. Its output is appended to one log file
 * per runner, which failure messages name. Not thread-safe: the test thread drives it.
 */
final class RunnerProcess {

    /** The example's packaged jar, relative to the module (failsafe runs there, after {@code package}). */
    static final Path JAR = Path.of("target", "beacon-runner-example-0.1.0-SNAPSHOT.jar");
    /** How long a runner may take to serve {@code /health/live} on this 2-core machine. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** How long an orderly stop (SIGTERM) may take before the test calls it hung. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final E2eHttp http;
    private final String dbUrl;
    private final String redisUri;
    private final int port;
    private final Path log;
    private Process process;
    private int starts;

    private RunnerProcess(E2eHttp http, String dbUrl, String redisUri, int port, Path log) {
        this.http = http;
        this.dbUrl = dbUrl;
        this.redisUri = redisUri;
        this.port = port;
        this.log = log;
    }

    /** A runner not started yet; {@link #start()} starts it. */
    static RunnerProcess of(E2eHttp http, String dbUrl, String redisUri, int port, Path log) {
        return new RunnerProcess(http, dbUrl, redisUri, port, log);
    }

    /** Starts the JVM (again, after a kill or stop) and waits until it serves {@code /health/live}. */
    RunnerProcess start() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // Small heap, C1 only, serial GC: several runners and the test share 2 cores; startup dominates.
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        if (Files.isRegularFile(JAR)) {
            command.addAll(List.of("-jar", JAR.toString()));
        } else {
            // Failsafe runs tests from a manifest-only jar; it also publishes the real classpath.
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            command.addAll(List.of("-cp", classpath, RunnerMain.class.getName()));
        }
        command.addAll(List.of("--db", dbUrl, "--redis", redisUri, "--port", Integer.toString(port)));
        Files.createDirectories(log.getParent());
        Files.writeString(log, "=== e2e: start #" + (++starts) + " on port " + port + System.lineSeparator(),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("BEACON_ADMIN_TOKEN", E2eHttp.TOKEN);
        // The command line says where the services are; the test's own environment must not.
        env.remove("BEACON_DB_URL");
        env.remove("BEACON_REDIS_URI");
        // The jar's logback also writes a log file; beside this runner's log rather than the module's runner.log.
        env.put("BEACON_LOG_FILE", log.resolveSibling(log.getFileName() + ".file").toString());
        process = builder.start();
        await("runner on port " + port + " serving /health/live (log " + log.toAbsolutePath() + ")")
                .atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(this::live);
        return this;
    }

    /** SIGKILL, as a crash or the OOM killer would; waits until the process is gone. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, as a deploy would; waits for the JVM's shutdown hooks to finish, then SIGKILLs it. */
    boolean terminate() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return true;
        }
        process.destroy();
        boolean stopped = process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        kill();
        return stopped;
    }

    /** "running", or how the JVM ended: for the scenario's notes and failure message. */
    String state() {
        return process == null ? "not started" : process.isAlive() ? "running"
                : "exited with code " + process.exitValue() + " (see " + log.toAbsolutePath() + ")";
    }

    int port() {
        return port;
    }

    Path log() {
        return log.toAbsolutePath();
    }

    private boolean live() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the runner exited with code " + process.exitValue()
                    + " before it served; see " + log.toAbsolutePath());
        }
        try {
            return http.get(port, "/health/live", false).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
