package org.projectbeacon.example.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.projectbeacon.resilience.ReliabilityRecord;

/**
 * Reads accepted jobs back through {@code GET /api/v1/jobs/{id}} until each is COMPLETED or FAILED
 * or the scenario's deadline passes, then judges the scenario: missing (accepted but not finished at
 * the deadline, or not found at all), duplicated effects ({@code processed_count > 1}), dead letters
 * ({@code GET /api/v1/admin/dlq}) and the client's 5xx answers. Not thread-safe.
 */
final class JobAudit {

    /** What the runner said about one job at the last read. */
    record JobState(String id, int http, String status, int processedCount, String body) {
        boolean finished() {
            return http == 200 && ("COMPLETED".equals(status) || "FAILED".equals(status));
        }
    }

    /** A scenario's counts and its offenders. */
    record Verdict(int accepted, int completed, int failed, int deadLettered, List<JobState> missing,
            List<JobState> duplicated, List<JobLoad.ServerError> serverErrors, Map<Integer, Integer> otherStatuses,
            int unanswered) {

        Map<Integer, Long> serverErrorsByStatus() {
            return serverErrors.stream().collect(Collectors.groupingBy(JobLoad.ServerError::status, TreeMap::new,
                    Collectors.counting()));
        }

        long count500() {
            return serverErrors.stream().filter(e -> e.status() == 500).count();
        }

        String summary() {
            return "accepted " + accepted + ", completed " + completed + ", failed " + failed + ", dead-lettered "
                    + deadLettered + ", missing " + missing.size() + ", duplicated " + duplicated.size() + ", 5xx "
                    + serverErrorsByStatus() + ", other statuses " + otherStatuses + ", unanswered posts " + unanswered;
        }
    }

    /** How many offending jobs a failure message shows whole. */
    static final int SHOWN = 15;

    private final E2eHttp http;

    JobAudit(E2eHttp http) {
        this.http = http;
    }

    /**
     * Polls the jobs {@code load} got accepted through the runner on {@code port} until all are
     * finished or {@code deadline} passed, then reads each once more and counts.
     */
    Verdict settle(JobLoad load, IntSupplier port, Duration deadline) throws Exception {
        List<String> ids = load.accepted();
        Map<String, JobState> states = new LinkedHashMap<>();
        try {
            await().atMost(deadline).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1)).until(() -> {
                for (String id : ids) {
                    JobState known = states.get(id);
                    if (known == null || !known.finished()) {
                        states.put(id, read(port.getAsInt(), id));
                    }
                }
                return states.values().stream().allMatch(JobState::finished);
            });
        } catch (ConditionTimeoutException e) {
            // The deadline passed: what is unfinished now is what the verdict calls missing.
        }
        List<JobState> finalStates = new ArrayList<>();
        for (String id : ids) {
            finalStates.add(read(port.getAsInt(), id));
        }
        int completed = (int) finalStates.stream().filter(s -> s.finished() && s.status().equals("COMPLETED")).count();
        int failed = (int) finalStates.stream().filter(s -> s.finished() && s.status().equals("FAILED")).count();
        return new Verdict(ids.size(), completed, failed, deadLetters(port.getAsInt(), Set.copyOf(ids)),
                finalStates.stream().filter(s -> !s.finished()).toList(),
                finalStates.stream().filter(s -> s.processedCount() > 1).toList(),
                load.serverErrors(), load.otherStatuses(), load.unanswered());
    }

    /** Writes the scenario's row for {@code docs/RELIABILITY.md}. */
    static void record(String id, String scenario, Verdict v, Instant started, String notes) {
        ReliabilityRecord row = ReliabilityRecord.of(id, scenario, v.accepted(), v.completed() + v.failed(),
                v.missing().size(), v.duplicated().size(), started, v.summary() + "; " + notes);
        if (v.count500() > 0 || !v.duplicated().isEmpty()) {
            row = row.failedBecause(v.count500() + " answers 500, " + v.duplicated().size() + " jobs run twice");
        }
        row.write();
    }

    /**
     * Fails, naming every problem at once, unless nothing is missing, nothing ran twice and no post
     * got a 500, and with {@code only503} unless every 5xx was a 503 with {@code Retry-After};
     * {@code logs} are the runners' logs the message points to.
     */
    static void assertHeld(Verdict v, boolean only503, List<Path> logs) {
        List<String> problems = new ArrayList<>();
        if (!v.missing().isEmpty()) {
            problems.add(v.missing().size() + " accepted job(s) neither COMPLETED nor FAILED at the deadline: "
                    + shown(v.missing()));
        }
        if (!v.duplicated().isEmpty()) {
            problems.add(v.duplicated().size() + " job(s) with processed_count > 1: " + shown(v.duplicated()));
        }
        if (v.count500() > 0) {
            problems.add(v.count500() + " post(s) answered 500, e.g. " + v.serverErrors().stream()
                    .filter(e -> e.status() == 500).findFirst().map(JobLoad.ServerError::body).orElse(""));
        }
        List<JobLoad.ServerError> notRetryable = v.serverErrors().stream()
                .filter(e -> e.status() != 503 || !e.retryAfter()).toList();
        if (only503 && !notRetryable.isEmpty()) {
            problems.add(notRetryable.size() + " 5xx answer(s) other than 503 with Retry-After; first: "
                    + notRetryable.get(0));
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(v.summary() + "\n" + String.join("\n", problems) + "\nrunner logs: " + logs);
        }
    }

    /**
     * The first job {@code load} got accepted (in acceptance order, which is about
     * the order the runner takes them in) that is RUNNING now, skipping {@code ignore}; empty when
     * none was seen within {@code timeout}. Lets a test kill a runner in the middle of a job.
     */
    Optional<String> awaitRunning(int port, JobLoad load, Set<String> ignore, Duration timeout) throws Exception {
        int[] cursor = {0};
        String[] found = {null};
        try {
            await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> {
                List<String> ids = load.accepted();
                while (cursor[0] < ids.size()) {
                    String id = ids.get(cursor[0]);
                    JobState state = ignore.contains(id) ? null : read(port, id);
                    if (state != null && "RUNNING".equals(state.status())) {
                        found[0] = id;
                        return true;
                    }
                    if (state != null && !state.finished()) {
                        return false; // not taken yet: ask again at the next poll
                    }
                    cursor[0]++;
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            return Optional.empty();
        }
        return Optional.of(found[0]);
    }

    JobState read(int port, String id) throws InterruptedException {
        try {
            HttpResponse<String> response = http.get(port, "/api/v1/jobs/" + id, false);
            if (response.statusCode() != 200) {
                return new JobState(id, response.statusCode(), null, 0, response.body());
            }
            JsonNode job = E2eHttp.json(response.body());
            return new JobState(id, 200, job.get("status").asText(), job.get("processed_count").asInt(), response.body());
        } catch (IOException e) {
            return new JobState(id, -1, null, 0, "no answer: " + e);
        }
    }

    /** How many of {@code ids} are in the dead letter queue; -1 when the runner does not tell. */
    private int deadLetters(int port, Set<String> ids) throws Exception {
        int count = 0;
        for (int page = 0; ; page++) {
            HttpResponse<String> response;
            try {
                response = http.get(port, "/api/v1/admin/dlq?size=500&page=" + page, true);
            } catch (IOException e) {
                return -1; // the runner does not answer: the verdict shows the count as unknown
            }
            if (response.statusCode() != 200) {
                return -1;
            }
            JsonNode items = E2eHttp.json(response.body()).get("items");
            for (JsonNode item : items) {
                if (ids.contains(item.get("id").asText())) {
                    count++;
                }
            }
            if (items.size() < 500) {
                return count;
            }
        }
    }

    private static String shown(List<JobState> states) {
        return states.stream().limit(SHOWN).map(s -> "\n  " + s.id() + " -> " + s.http() + " " + s.body())
                .collect(Collectors.joining()) + (states.size() > SHOWN ? "\n  ... " + (states.size() - SHOWN) + " more" : "");
    }
}
