package org.projectbeacon.outbox.spi;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.SendResult;

/**
 * A sink that passes every operation to another one: the base of decorators (fault injection,
 * metrics, logging). Override only what the decorator changes.
 *
 * <p>Why it exists: {@link OutboxSink}'s reconciliation methods have harmless-looking defaults
 * ("nothing missing", "nothing to forget"). A decorator that implements {@code OutboxSink} directly
 * and overrides only {@link #send} silently keeps those defaults, and an
 * {@link org.projectbeacon.outbox.OutboxReconciler} behind it then never sees a lost stream entry.
 * Extending this class forwards them. Thread-safe when the delegate is.
 */
public abstract class ForwardingOutboxSink implements OutboxSink {

    private final OutboxSink delegate;

    /** Forwards to {@code delegate}. */
    protected ForwardingOutboxSink(OutboxSink delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The sink operations are forwarded to. */
    protected final OutboxSink delegate() {
        return delegate;
    }

    @Override
    public List<SendResult> send(List<OutboxRecord> batch) throws Exception {
        return delegate.send(batch);
    }

    @Override
    public Set<String> missingEntries(String stream, List<String> entryIds) throws Exception {
        return delegate.missingEntries(stream, entryIds);
    }

    @Override
    public void forget(String stream, Collection<UUID> messageIds) throws Exception {
        delegate.forget(stream, messageIds);
    }

    @Override
    public void probe() throws Exception {
        delegate.probe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
