package org.projectbeacon.outbox;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * id for the sink's lifetime (until {@link #forget}). A subscriber's exception fails that message's
 * send (it is retried).
 *
 * <p>Entry ids are {@code <stream>-<n>}, {@code n} counting up per stream and never reused, so
 * {@link #missingEntries} can tell an entry taken by {@link #drain(String)} from one still kept.
 *
 * <p>Thread-safe. Memory grows with every message kept; call {@link #drain(String)} to take them.
 */
public final class InProcessSink implements OutboxSink {

    /** One stream: its entries by entry id in publication order, and the last number given. */
    private static final class Stream {
        final Map<String, OutboxRecord> entries = new LinkedHashMap<>();
        long last;
    }

    private final Map<String, Stream> streams = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<OutboxRecord>>> subscribers = new ConcurrentHashMap<>();
    /** Message id to the entry id it was added as: the de-duplication memory. */
    private final Map<UUID, String> seen = new ConcurrentHashMap<>();

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
            String pending = "";
            String previous = seen.putIfAbsent(r.id(), pending);
            if (previous != null) {
                results.add(previous.isEmpty() ? SendResult.duplicateEntry() : new SendResult(previous, true, null));
                continue;
            }
            try {
                for (Consumer<OutboxRecord> s : subscribers.getOrDefault(r.stream(), List.of())) {
                    s.accept(r);
                }
                Stream stream = stream(r.stream());
                String entryId;
                synchronized (stream) {
                    entryId = r.stream() + "-" + (++stream.last);
                    stream.entries.put(entryId, r);
                }
                seen.put(r.id(), entryId);
                results.add(SendResult.sent(entryId));
            } catch (RuntimeException e) {
                seen.remove(r.id());
                results.add(SendResult.failed(e));
            }
        }
        return results;
    }

    /** The entry ids of {@code entryIds} that {@link #drain(String)} took or that were never added. */
    @Override
    public Set<String> missingEntries(String stream, List<String> entryIds) {
        Stream s = streams.get(stream);
        Set<String> missing = new HashSet<>();
        if (s == null) {
            missing.addAll(entryIds);
            return missing;
        }
        synchronized (s) {
            for (String id : entryIds) {
                if (!s.entries.containsKey(id)) {
                    missing.add(id);
                }
            }
        }
        return missing;
    }

    /** Drops {@code messageIds} from the de-duplication memory. */
    @Override
    public void forget(String stream, Collection<UUID> messageIds) {
        messageIds.forEach(seen::remove);
    }

    /** A snapshot of the messages of {@code stream}, in publication order. */
    public List<OutboxRecord> entries(String stream) {
        Stream s = streams.get(stream);
        if (s == null) {
            return List.of();
        }
        synchronized (s) {
            return List.copyOf(s.entries.values());
        }
    }

    /** Takes and removes the messages of {@code stream}; their ids stay remembered for de-duplication. */
    public List<OutboxRecord> drain(String stream) {
        Stream s = streams.get(stream);
        if (s == null) {
            return List.of();
        }
        synchronized (s) {
            List<OutboxRecord> copy = List.copyOf(s.entries.values());
            s.entries.clear();
            return copy;
        }
    }

    private Stream stream(String name) {
        return streams.computeIfAbsent(name, n -> new Stream());
    }
}
