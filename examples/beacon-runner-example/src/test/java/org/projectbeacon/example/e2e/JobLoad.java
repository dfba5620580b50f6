package org.projectbeacon.example.e2e;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.projectbeacon.resilience.DaemonThreads;

/**
 * A client posting {@code render} jobs at a fixed rate, round-robin over the runners it is told
 * to use, that remembers what each post came to: the id of every 202, every 5xx (status, whether it
 * had {@code Retry-After}, body), other statuses, and posts that got no answer at all (runner down:
 * the client knows those were not accepted). Bounded in count and time. Thread-safe: the load runs
 * on its own thread while the test thread reads the tallies and moves the targets.
 */
final class JobLoad implements AutoCloseable {

    /** One 5xx answer, kept whole for the failure message. */
    record ServerError(int status, boolean retryAfter, String body) {}

    private final E2eHttp http;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(new DaemonThreads("e2e-load"));
    private final List<String> accepted = new ArrayList<>();
    private final List<ServerError> serverErrors = new ArrayList<>();
    private final Map<Integer, Integer> otherStatuses = new TreeMap<>();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicInteger posted = new AtomicInteger();
    private volatile int[] targets;
    private volatile int count;
    private CountDownLatch done;

    JobLoad(E2eHttp http, int... ports) {
        this.http = http;
        this.targets = ports.clone();
    }

    /** Posts {@code count} jobs, {@code perSecond} a second, in the background. */
    JobLoad start(int count, int perSecond) {
        this.count = count;
        done = new CountDownLatch(1);
        scheduler.scheduleAtFixedRate(() -> {
            int i = posted.getAndIncrement();
            if (i >= count) {
                done.countDown();
                throw new IllegalStateException("load finished"); // ends the fixed-rate schedule
            }
            postOne(i);
        }, 0, 1_000_000L / perSecond, TimeUnit.MICROSECONDS);
        return this;
    }

    /** From now on, posts go round-robin to {@code ports} only. */
    void targets(int... ports) {
        this.targets = ports.clone();
    }

    /** Waits until every job was posted; false when {@code timeout} passed first. */
    boolean awaitPosted(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Jobs posted so far (answered or not). */
    int posted() {
        return Math.min(posted.get(), count);
    }

    /** The ids of the jobs accepted with 202, in the order of acceptance. */
    synchronized List<String> accepted() {
        return List.copyOf(accepted);
    }

    synchronized List<ServerError> serverErrors() {
        return List.copyOf(serverErrors);
    }

    /** Statuses other than 202 and 5xx, with their counts. */
    synchronized Map<Integer, Integer> otherStatuses() {
        return new TreeMap<>(otherStatuses);
    }

    /** Posts that got no HTTP answer (connection refused or reset, timeout). */
    int unanswered() {
        return unanswered.get();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private void postOne(int i) {
        int[] ports = targets;
        int port = ports[i % ports.length];
        try {
            HttpResponse<String> response = http.post(port, "/api/v1/jobs",
                    "{\"type\":\"render\",\"payload\":{\"n\":" + i + "}}", false);
            record(response);
        } catch (IOException e) {
            unanswered.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void record(HttpResponse<String> response) throws IOException {
        int status = response.statusCode();
        if (status == 202) {
            accepted.add(E2eHttp.json(response.body()).get("id").asText());
        } else if (status >= 500) {
            serverErrors.add(new ServerError(status, response.headers().firstValue("Retry-After").isPresent(),
                    response.body()));
        } else {
            otherStatuses.merge(status, 1, Integer::sum);
        }
    }
}
