package org.projectbeacon.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.projectbeacon.outbox.spi.OutboxSink;

/**
 * The embedded default sink: keeps published messages in memory, per stream, and hands each to the
 * subscribers of its stream, so an application on H2 runs with no servers. De-duplicates by message
 * id for the sink's lifetime. A subscriber's exception fails that message's send (it is retried).
 *
 * <p>Thread-safe. Memory grows with every message kept; call {@link #drain(String)} to take them.
 */
public final class InProcessSink implements OutboxSink {

    private final Map<String, List<OutboxRecord>> streams = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<OutboxRecord>>> subscribers = new ConcurrentHashMap<>();
    private final Set<UUID> seen = ConcurrentHashMap.newKeySet();

    /** An empty sink. */
    public InProcessSink() {}

    /** Calls {@code subscriber} with every later message of {@code stream}, on the publishing thread. */
    public void subscribe(String stream, Consumer<OutboxRecord> subscriber) {
        subscribers.computeIfAbsent(stream, s -> new CopyOnWriteArrayList<>()).add(subscriber);
    }

    @Override
    public List<SendResult> send(List<OutboxRecord> batch) {
        List<SendResult> results = new ArrayList<>(batch.size());
        for (OutboxRecord r : batch) {
            if (!seen.add(r.id())) {
                results.add(SendResult.duplicateEntry());
                continue;
            }
            try {
                for (Consumer<OutboxRecord> s : subscribers.getOrDefault(r.stream(), List.of())) {
                    s.accept(r);
                }
                List<OutboxRecord> entries = streams.computeIfAbsent(r.stream(), s -> new ArrayList<>());
                synchronized (entries) {
                    entries.add(r);
                    results.add(SendResult.sent(r.stream() + "-" + entries.size()));
                }
            } catch (RuntimeException e) {
                seen.remove(r.id());
                results.add(SendResult.failed(e));
            }
        }
        return results;
    }

    /** A snapshot of the messages of {@code stream}, in publication order. */
    public List<OutboxRecord> entries(String stream) {
        List<OutboxRecord> entries = streams.getOrDefault(stream, List.of());
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }

    /** Takes and removes the messages of {@code stream}. */
    public List<OutboxRecord> drain(String stream) {
        List<OutboxRecord> entries = streams.getOrDefault(stream, new ArrayList<>());
        synchronized (entries) {
            List<OutboxRecord> copy = List.copyOf(entries);
            entries.clear();
            return copy;
        }
    }
}
