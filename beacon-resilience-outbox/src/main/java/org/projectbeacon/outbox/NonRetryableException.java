package org.projectbeacon.outbox;

/**
 * A failure that retrying cannot fix (for example a stream key holding another Redis type): the
 * publisher moves the message to the dead letter queue at once instead of scheduling another attempt.
 * Sinks throw it, or report it as a message's failure.
 */
public class NonRetryableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a message and a cause. */
    public NonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** With a message. */
    public NonRetryableException(String message) {
        super(message);
    }
}
