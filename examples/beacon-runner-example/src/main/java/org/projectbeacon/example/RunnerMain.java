package org.projectbeacon.example;

import java.util.concurrent.CountDownLatch;

/**
 * Starts the example runner: {@code java -jar beacon-runner-example-<version>.jar [--db URL]
 * [--redis URI] [--ipfs URL] [--port N]}. With no arguments it runs on embedded H2 with the
 * in-process sink, no servers needed, on 127.0.0.1:8080.
 */
public final class RunnerMain {

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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.close();
            stopped.countDown();
        }, "runner-shutdown"));
        stopped.await();
    }
}
