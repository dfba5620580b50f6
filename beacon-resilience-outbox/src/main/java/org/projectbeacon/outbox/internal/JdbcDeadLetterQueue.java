package org.projectbeacon.outbox.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.projectbeacon.outbox.DeadLetter;
import org.projectbeacon.outbox.DeadLetterFilter;
import org.projectbeacon.outbox.DeadLetterQueue;
import org.projectbeacon.outbox.FailurePattern;
import org.projectbeacon.outbox.OutboxConfig;
import org.projectbeacon.outbox.OutboxMetrics;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.SendResult;
import org.projectbeacon.outbox.spi.OutboxSink;

/** The JDBC dead letter queue; see {@link DeadLetterQueue}. */
public final class JdbcDeadLetterQueue implements DeadLetterQueue {

    private static final int CHUNK = 500;

    private final DataSource dataSource;
    private final OutboxConfig config;
    private final OutboxSink sink;
    private final DialectBound<DeadLetterStore> store;
    private final OutboxMetrics metrics;

    /**
     * A queue over {@code config}'s tables; no I/O (a dialect left to detect is detected on first use).
     *
     * @param metrics where consumer dead letters are counted, or {@code null} for nowhere
     */
    public JdbcDeadLetterQueue(DataSource dataSource, OutboxConfig config, OutboxSink sink, OutboxMetrics metrics) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.config = Objects.requireNonNull(config, "config");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.metrics = metrics;
        this.store = new DialectBound<>(config, DeadLetterStore::new);
    }

    @Override
    public List<DeadLetter> list(DeadLetterFilter filter, int page, int size) throws SQLException {
        Objects.requireNonNull(filter, "filter");
        if (page < 0) {
            throw new IllegalArgumentException("page must not be negative but was " + page);
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("size must be in 1.." + MAX_PAGE_SIZE + " but was " + size);
        }
        try (Connection c = dataSource.getConnection()) {
            return store.get(c).list(c, filter, Math.multiplyExact(page, size), size);
        }
    }

    @Override
    public Optional<DeadLetter> find(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return store.get(c).find(c, Objects.requireNonNull(id, "id"));
        }
    }

    @Override
    public long count(DeadLetterFilter filter) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return store.get(c).count(c, Objects.requireNonNull(filter, "filter"));
        }
    }

    @Override
    public List<FailurePattern> failurePatterns(DeadLetterFilter filter) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return store.get(c).failurePatterns(c, Objects.requireNonNull(filter, "filter"));
        }
    }

    @Override
    public boolean requeue(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Optional<DeadLetter> d = store.get(c).find(c, Objects.requireNonNull(id, "id"));
            return d.isPresent() && store.get(c).requeue(c, List.of(d.get()), config.clock().millis()) == 1;
        }
    }

    @Override
    public long requeue(DeadLetterFilter filter) throws SQLException {
        Objects.requireNonNull(filter, "filter");
        long total = 0;
        try (Connection c = dataSource.getConnection()) {
            // Always page 0: each chunk leaves the dead letter table, so the next chunk moves up.
            while (true) {
                List<DeadLetter> chunk = store.get(c).list(c, filter, 0, CHUNK);
                if (chunk.isEmpty()) {
                    return total;
                }
                int moved = store.get(c).requeue(c, chunk, config.clock().millis());
                total += moved;
                if (moved == 0) {
                    return total; // another operator took them concurrently
                }
            }
        }
    }

    @Override
    public long purge(DeadLetterFilter filter) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return store.get(c).purge(c, Objects.requireNonNull(filter, "filter"));
        }
    }

    @Override
    public SendResult republish(UUID id) throws SQLException {
        DeadLetter d = find(id).orElseThrow(() -> new NoSuchElementException("no dead letter has id " + id));
        SendResult result;
        try {
            result = sink.send(List.of(d.message())).get(0);
        } catch (Exception e) {
            result = SendResult.failed(e);
        }
        if (result.isSuccess()) {
            try (Connection c = dataSource.getConnection()) {
                store.get(c).delete(c, id);
            }
        }
        return result;
    }

    @Override
    public UUID add(OutboxRecord message, int attempts, Throwable error) throws SQLException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(error, "error");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1 but was " + attempts);
        }
        long now = config.clock().millis();
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>(message.headers());
        headers.put(ORIGINAL_ID_HEADER, message.id().toString());
        OutboxRecord letter = new OutboxRecord(UUID.randomUUID(), message.stream(), message.key(), message.payload(),
                message.contentType(), headers, message.createdAt(), attempts);
        String history = java.time.Instant.ofEpochMilli(now) + " consumer gave up on " + message.id() + " after "
                + attempts + " attempts: " + OutboxRows.describe(error);
        try (Connection c = dataSource.getConnection()) {
            store.get(c).add(c, letter, attempts, error, history, now);
        }
        if (metrics != null) {
            metrics.deadLettered(1); // counted once it is committed, like the publisher's own dead letters
        }
        return letter.id();
    }
}
