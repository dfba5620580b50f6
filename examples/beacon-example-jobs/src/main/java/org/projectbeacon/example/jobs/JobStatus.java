package org.projectbeacon.example.jobs;

/** Where a job is in its life. */
public enum JobStatus {
    /** Accepted; its message is in the outbox or on the stream. */
    QUEUED,
    /** A worker is executing it. */
    RUNNING,
    /** An attempt failed; it will be tried again. */
    RETRY,
    /** Done. */
    COMPLETED,
    /** Failed for good; its message went to the dead letter queue. */
    FAILED
}
