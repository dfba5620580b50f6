package org.projectbeacon.example;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the example runner: {@code java -jar beacon-runner-example-<version>.jar [--config FILE]
 * [--db URL] [--redis URI] [--ipfs URL] [--port N]}. With no arguments and no {@code runner.env} in
 * the working directory it runs on embedded H2 with the in-process sink, no servers needed, on
 * 127.0.0.1:8080. Settings come from the command line, then the environment, then the config file
 * ({@link EnvFile}: {@code --config FILE}, or {@code ./runner.env} when present), so that a plain
 * {@code java -jar} in the same directory restarts it as it was.
 *
 * <p>It logs to the console and to {@code BEACON_LOG_FILE} (default {@code runner.log} in the working
 * directory), the file the runbook's {@code tail} and {@code grep} lines read.
 *
 * <p>{@code SIGTERM} (and {@code SIGINT}) stop it gracefully: new jobs are refused with {@code 503},
 * the jobs in hand finish within {@link Runner#STOP_GRACE} or are handed back to the stream for
 * another runner, and the process exits with status 0.
 */
public final class RunnerMain {

    /** The log file when {@code BEACON_LOG_FILE} is not set: {@value}, in the working directory. */
    public static final String DEFAULT_LOG_FILE = "runner.log";

    private RunnerMain() {}

    /** Starts the runner and keeps it running until the JVM is stopped. */
    public static void main(String[] args) throws Exception {
        RunnerConfig config;
        Map<String, String> environment;
        try {
            environment = EnvFile.environment(args, System.getenv(), Path.of(""));
            config = RunnerConfig.from(args, environment);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("beacon-runner-example: " + e.getMessage());
            System.exit(2);
            return;
        }
        // logback.xml reads the file name from this property; it is set before the first logger
        // exists, which is why this class has no static logger.
        System.setProperty("BEACON_LOG_FILE", environment.getOrDefault("BEACON_LOG_FILE", DEFAULT_LOG_FILE));
        Logger log = LoggerFactory.getLogger(RunnerMain.class);
        Runner runner = Runner.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        // A shutdown hook alone would end the JVM with 143 on SIGTERM; handling the signal lets a normal
        // stop exit 0, so a supervisor tells it from a crash. The hook stays for System.exit and the rest.
        for (String signal : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> new Thread(() -> {
                    log.info("SIG{} received: stopping gracefully", signal);
                    runner.close();
                    stopped.countDown();
                    System.exit(0);
                }, "runner-stop").start());
            } catch (IllegalArgumentException e) {
                log.debug("signal {} cannot be handled here: {}", signal, e.toString());
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.close();
            stopped.countDown();
        }, "runner-shutdown"));
        stopped.await();
    }
}
