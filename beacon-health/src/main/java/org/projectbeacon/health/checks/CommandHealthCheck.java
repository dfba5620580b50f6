package org.projectbeacon.health.checks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.projectbeacon.health.HealthResult;
import org.projectbeacon.health.spi.HealthCheck;

/**
 * Checks by running an external command, such as {@code yagna --version}, and reading its exit code.
 *
 * <p>The command's output is discarded (it may hold secrets); a command that runs past its timeout
 * is killed and is DOWN, as is any exit code but the expected one. Blocking; the aggregator runs it
 * on its executor. Thread-safe.
 */
public final class CommandHealthCheck implements HealthCheck {

    /** Default 5 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final List<String> command;
    private final Duration timeout;
    private final int expectedExitCode;

    private CommandHealthCheck(List<String> command, Duration timeout, int expectedExitCode) {
        if (command == null || command.isEmpty() || command.stream().anyMatch(part -> part == null || part.isEmpty())) {
            throw new IllegalArgumentException("command must be a non-empty list of non-empty words but was " + command);
        }
        if (timeout == null || timeout.toMillis() < 1) {
            throw new IllegalArgumentException("timeout must be at least 1ms but was " + timeout);
        }
        this.command = List.copyOf(command);
        this.timeout = timeout;
        this.expectedExitCode = expectedExitCode;
    }

    /** A check expecting exit code 0 within {@link #DEFAULT_TIMEOUT}. */
    public static CommandHealthCheck of(String... command) {
        return new CommandHealthCheck(List.of(command), DEFAULT_TIMEOUT, 0);
    }

    /** A check expecting {@code expectedExitCode} within {@code timeout}. */
    public static CommandHealthCheck of(List<String> command, Duration timeout, int expectedExitCode) {
        return new CommandHealthCheck(command, timeout, expectedExitCode);
    }

    @Override
    public CompletionStage<HealthResult> check() {
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (Exception e) {
            return CompletableFuture.completedFuture(HealthResult.down("cannot run " + command.get(0) + ": "
                    + e.getClass().getSimpleName()));
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return CompletableFuture.completedFuture(HealthResult.down(
                        command.get(0) + " did not finish within " + timeout.toMillis() + " ms"));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return CompletableFuture.completedFuture(HealthResult.down("interrupted while waiting for " + command.get(0)));
        }
        int exit = process.exitValue();
        return CompletableFuture.completedFuture(exit == expectedExitCode
                ? HealthResult.up(Map.of("exit_code", exit))
                : HealthResult.down(command.get(0) + " exited with " + exit + ", expected " + expectedExitCode)
                        .withDetails(Map.of("exit_code", exit)));
    }
}
