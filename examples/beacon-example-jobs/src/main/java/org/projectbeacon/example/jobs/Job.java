package org.projectbeacon.example.jobs;

import java.time.Instant;
import java.util.List;

/**
 * A job as the job table holds it.
 *
 * @param id the job id
 * @param type the job type, such as {@code render}
 * @param payload the job's JSON payload as text
 * @param region the preferred region, or {@code null}
 * @param status the status
 * @param attempts attempts started
 * @param processedCount how many times a worker completed it (exactly once is the goal)
 * @param lastError the last attempt's error, or {@code null}
 * @param createdAt when it was accepted
 * @param updatedAt when it last changed
 * @param history every status change, oldest first
 */
public record Job(
        String id,
        String type,
        String payload,
        String region,
        JobStatus status,
        int attempts,
        int processedCount,
        String lastError,
        Instant createdAt,
        Instant updatedAt,
        List<Change> history) {

    /** One status change. */
    public record Change(Instant at, JobStatus status, String detail) {}
}
