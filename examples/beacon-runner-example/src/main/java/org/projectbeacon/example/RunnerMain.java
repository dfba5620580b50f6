package org.projectbeacon.example;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the example runner: {@code java -jar beacon-runner-example-<version>.jar [--db URL]
 * [--redis URI] [--ipfs URL] [--port N]}. With no arguments it runs on embedded H2 with the
 * in-process sink, no servers needed, on 127.0.0.1:8080.
 *
 * <p>{@code SIGTERM} (and {@code SIGINT}) stop it gracefully: new jobs are refused with {@code 503},
 * the jobs in hand finish within {@link Runner#STOP_GRACE} or are handed back to the stream for
 * another runner, and the process exits with status 0.
 */
public final class RunnerMain {

    private static final Logger LOG = LoggerFactory.getLogger(RunnerMain.class);

    private RunnerMain() {}

    /** Starts the runner and keeps it running until the JVM is stopped. */
    public static void main(String[] args) throws Exception {
        RunnerConfig config;
        try {
            config = RunnerConfig.from(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("beacon-runner-example: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runner runner = Runner.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        // A shutdown hook alone would end the JVM with 143 on SIGTERM; handling the signal lets a normal
        // stop exit 0, so a supervisor tells it from a crash. The hook stays for System.exit and the rest.
        for (String signal : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> new Thread(() -> {
                    LOG.info("SIG{} received: stopping gracefully", signal);
                    runner.close();
                    stopped.countDown();
                    System.exit(0);
                }, "runner-stop").start());
            } catch (IllegalArgumentException e) {
                LOG.debug("signal {} cannot be handled here: {}", signal, e.toString());
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.close();
            stopped.countDown();
        }, "runner-shutdown"));
        stopped.await();
    }
}
