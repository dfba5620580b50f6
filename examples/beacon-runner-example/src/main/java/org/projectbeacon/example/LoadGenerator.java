package org.projectbeacon.example;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Submits jobs to a runner at a steady rate for a while and prints a summary: for drills and
 * benchmarks. {@code java -cp beacon-runner-example.jar org.projectbeacon.example.LoadGenerator
 * [--url http://127.0.0.1:8080] [--rate 20] [--duration 30s] [--region lhr] [--ids FILE]}.
 *
 * <p>{@code --ids FILE} appends the id of every accepted job to {@code FILE}, one a line, as the
 * answers arrive (so a drill stopped midway still has them), for reading every job back afterwards.
 */
public final class LoadGenerator {

    private LoadGenerator() {}

    /** The outcome of a run. */
    public record Summary(long submitted, long accepted, long rejected, long failed, double p50Millis, double p99Millis) {
        @Override
        public String toString() {
            return String.format("submitted %d jobs: %d accepted (202), %d rejected, %d failed to send; p50 %.1f ms, p99 %.1f ms",
                    submitted, accepted, rejected, failed, p50Millis, p99Millis);
        }
    }

    /** Runs the generator from the command line. */
    public static void main(String[] args) throws Exception {
        String url = "http://127.0.0.1:8080";
        int rate = 20;
        Duration duration = Duration.ofSeconds(30);
        String region = null;
        Path ids = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--url" -> url = args[i + 1];
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--duration" -> duration = org.projectbeacon.resilience.GuardSettings.parseDuration(args[i + 1]);
                case "--region" -> region = args[i + 1];
                case "--ids" -> ids = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "'; expected --url, --rate, --duration, --region or --ids");
            }
        }
        if (ids == null) {
            System.out.println(run(URI.create(url), rate, duration, region, id -> { }));
            return;
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(ids,
                StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), true)) {
            System.out.println(run(URI.create(url), rate, duration, region, id -> {
                synchronized (out) {
                    out.println(id); // flushed per line: a drill that kills the generator keeps every id so far
                }
            }));
        }
    }

    /** Submits {@code rate} jobs a second for {@code duration}; waits for every answer. */
    public static Summary run(URI runner, int rate, Duration duration, String region) throws InterruptedException {
        return run(runner, rate, duration, region, id -> { });
    }

    /**
     * Submits {@code rate} jobs a second for {@code duration}, waits for every answer and hands the id
     * of each accepted job to {@code accepted} (from the HTTP client's threads, so it must be thread-safe).
     */
    public static Summary run(URI runner, int rate, Duration duration, String region,
            Consumer<String> accepted) throws InterruptedException {
        if (rate < 1 || rate > 10_000) {
            throw new IllegalArgumentException("rate must be in [1, 10000] but was " + rate);
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong acceptedCount = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Long> latencies = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        var pending = ConcurrentHashMap.<CompletableFuture<?>>newKeySet();
        long total = Math.max(1, rate * duration.toMillis() / 1000);
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pace the submissions
            }
            String body = "{\"type\":\"render\",\"payload\":{\"frame\":" + ThreadLocalRandom.current().nextInt(10_000) + "}"
                    + (region == null ? "" : ",\"region\":\"" + region + "\"") + "}";
            long sent = System.nanoTime();
            CompletableFuture<?> future = client.sendAsync(HttpRequest.newBuilder(runner.resolve("/api/v1/jobs"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> {
                        if (error != null) {
                            failed.incrementAndGet();
                        } else if (response.statusCode() == 202) {
                            acceptedCount.incrementAndGet();
                            latencies.add(System.nanoTime() - sent);
                            jobId(response.body()).ifPresent(accepted);
                        } else {
                            rejected.incrementAndGet();
                        }
                    });
            pending.add(future);
            future.whenComplete((r, e) -> pending.remove(future));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        List<Long> sorted = latencies.stream().sorted().toList();
        return new Summary(total, acceptedCount.get(), rejected.get(), failed.get(), percentile(sorted, 0.5), percentile(sorted, 0.99));
    }

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    /** The job id of a {@code 202} answer such as {@code {"id":"84a5..."}}. */
    static Optional<String> jobId(String body) {
        Matcher matcher = ID.matcher(body == null ? "" : body);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private static double percentile(List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(quantile * sorted.size()))) / 1e6;
    }
}
