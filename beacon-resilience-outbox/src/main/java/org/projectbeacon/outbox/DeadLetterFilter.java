package org.projectbeacon.outbox;

import java.time.Instant;

/**
 * Selects dead letters: by stream, by error class, and by the time they were dead-lettered
 * ({@code from} inclusive, {@code to} exclusive). Absent parts match everything.
 *
 * @param stream the stream, or {@code null}
 * @param errorClass the fully qualified error class, or {@code null}
 * @param from the earliest dead-letter time, inclusive, or {@code null}
 * @param to the latest dead-letter time, exclusive, or {@code null}
 */
public record DeadLetterFilter(String stream, String errorClass, Instant from, Instant to) {

    /** Checks that {@code from} is not after {@code to}. */
    public DeadLetterFilter {
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("from must not be after to but was from=" + from + ", to=" + to);
        }
    }

    /** Matches every dead letter. */
    public static DeadLetterFilter all() {
        return new DeadLetterFilter(null, null, null, null);
    }

    /** Matches the dead letters of {@code stream}. */
    public static DeadLetterFilter stream(String stream) {
        return new DeadLetterFilter(stream, null, null, null);
    }

    /** This filter restricted to {@code errorClass}. */
    public DeadLetterFilter withErrorClass(String errorClass) {
        return new DeadLetterFilter(stream, errorClass, from, to);
    }

    /** This filter restricted to dead-letter times in [{@code from}, {@code to}). */
    public DeadLetterFilter between(Instant from, Instant to) {
        return new DeadLetterFilter(stream, errorClass, from, to);
    }
}
