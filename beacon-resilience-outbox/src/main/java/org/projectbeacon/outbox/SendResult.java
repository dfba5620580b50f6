package org.projectbeacon.outbox;

/**
 * What a sink did with one message.
 *
 * @param entryId the stream entry id when added, {@code null} for a duplicate or a failure
 * @param duplicate whether the sink had already seen the message id and added nothing
 * @param failure the error when the message could not be sent, else {@code null}
 */
public record SendResult(String entryId, boolean duplicate, Throwable failure) {

    private static final SendResult DUPLICATE = new SendResult(null, true, null);

    /** Added as {@code entryId}. */
    public static SendResult sent(String entryId) {
        return new SendResult(entryId, false, null);
    }

    /** Already present; nothing added. */
    public static SendResult duplicateEntry() {
        return DUPLICATE;
    }

    /** Not sent because of {@code failure}. */
    public static SendResult failed(Throwable failure) {
        return new SendResult(null, false, java.util.Objects.requireNonNull(failure, "failure"));
    }

    /** Whether the message is in the stream (added now or before). */
    public boolean isSuccess() {
        return failure == null;
    }
}
