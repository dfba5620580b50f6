package org.projectbeacon.outbox;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import org.projectbeacon.resilience.metrics.JobOutcome;
import org.projectbeacon.resilience.metrics.RunnerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer-group worker on one Redis stream: reads new entries with {@code XREADGROUP}, hands each
 * to the {@link StreamHandler}, acknowledges successes with {@code XACK}, takes over entries pending
 * longer than {@link Builder#claimIdle(Duration)} (a crashed consumer's, or its own failed ones) with
 * {@code XAUTOCLAIM}, and moves an entry delivered more than {@link Builder#maxDeliveries(int)} times
 * to the dead-letter stream (its fields plus {@code source-stream}, {@code source-id},
 * {@code deliveries}, {@code group}) before acknowledging it. Every handled entry counts in
 * {@code jobs_processed_total{outcome}} through {@link RunnerMetrics#jobProcessed}.
 *
 * <p>Run it on its own thread with {@link #start()}, or drive it with {@link #pollOnce()}. The
 * consumer uses one connection of its own, because a blocking read occupies its connection.
 * Lifecycle methods are thread-safe; {@code pollOnce} must not run concurrently with itself.
 */
public final class StreamConsumer implements AutoCloseable {

    /** Default {@value}: entries per read or claim. */
    public static final int DEFAULT_BATCH_SIZE = 10;
    /** Default 1 s: how long a read blocks waiting for entries. */
    public static final Duration DEFAULT_BLOCK = Duration.ofSeconds(1);
    /** Default 1 min: entries pending longer are claimed by this consumer. */
    public static final Duration DEFAULT_CLAIM_IDLE = Duration.ofMinutes(1);
    /** Default {@value}: deliveries after which an entry goes to the dead-letter stream. */
    public static final int DEFAULT_MAX_DELIVERIES = 5;
    /** Suffix of the default dead-letter stream: {@value}. */
    public static final String DEAD_LETTER_SUFFIX = ":dead";

    private static final Logger LOG = LoggerFactory.getLogger(StreamConsumer.class);

    private final String stream;
    private final String group;
    private final String name;
    private final StreamHandler handler;
    private final int batchSize;
    private final Duration block;
    private final Duration claimIdle;
    private final int maxDeliveries;
    private final String deadLetterStream;
    private final RunnerMetrics metrics;
    private final Clock clock;
    private final ThreadFactory threadFactory;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private volatile boolean running;
    private Thread thread;

    private StreamConsumer(Builder b) {
        stream = b.stream;
        group = b.group;
        name = b.name;
        handler = b.handler;
        batchSize = b.batchSize;
        block = b.block;
        claimIdle = b.claimIdle;
        maxDeliveries = b.maxDeliveries;
        deadLetterStream = b.deadLetterStream == null ? b.stream + DEAD_LETTER_SUFFIX : b.deadLetterStream;
        metrics = b.metrics;
        clock = b.clock;
        threadFactory = b.threadFactory;
        connection = b.client.connect();
        redis = connection.sync();
        try {
            redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0-0"), group, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException e) {
            // BUSYGROUP: the group exists already, which is the normal case.
        }
    }

    /** A builder for consumer {@code name} of {@code group} on {@code stream}. */
    public static Builder builder(RedisClient client, String stream, String group, String name, StreamHandler handler) {
        return new Builder(client, stream, group, name, handler);
    }

    /** The dead-letter stream. */
    public String deadLetterStream() {
        return deadLetterStream;
    }

    /**
     * One round: claim long-pending entries, then read new ones (blocking up to the block time when
     * there are none), and handle them.
     *
     * @return how many entries were handled or dead-lettered
     */
    @SuppressWarnings("unchecked") // Lettuce's generic varargs of stream offsets; one offset, no heap pollution
    public int pollOnce() {
        int done = 0;
        ClaimedMessages<String, String> claimed = redis.xautoclaim(stream,
                XAutoClaimArgs.Builder.xautoclaim(Consumer.from(group, name), claimIdle, "0-0").count(batchSize));
        List<StreamMessage<String, String>> reclaimed = claimed.getMessages();
        if (!reclaimed.isEmpty()) {
            Map<String, Long> deliveries = new HashMap<>();
            String first = reclaimed.get(0).getId();
            String last = reclaimed.get(reclaimed.size() - 1).getId();
            for (PendingMessage p : redis.xpending(stream, Consumer.from(group, name), Range.create(first, last),
                    Limit.from(Math.max(batchSize, reclaimed.size()) * 4L))) {
                deliveries.put(p.getId(), p.getRedeliveryCount());
            }
            for (StreamMessage<String, String> m : reclaimed) {
                if (m.getBody() == null || m.getBody().isEmpty()) {
                    redis.xack(stream, group, m.getId()); // deleted from the stream while pending
                    continue;
                }
                long n = deliveries.getOrDefault(m.getId(), 1L);
                if (n > maxDeliveries) {
                    deadLetter(m, n);
                } else {
                    handle(new StreamEntry(stream, m.getId(), m.getBody(), n));
                }
                done++;
            }
        }
        List<StreamMessage<String, String>> fresh = redis.xreadgroup(Consumer.from(group, name),
                XReadArgs.Builder.count(batchSize).block(reclaimed.isEmpty() ? block.toMillis() : 1),
                XReadArgs.StreamOffset.lastConsumed(stream));
        for (StreamMessage<String, String> m : fresh) {
            handle(new StreamEntry(stream, m.getId(), m.getBody(), 1));
            done++;
        }
        return done;
    }

    private void handle(StreamEntry entry) {
        long start = clock.millis();
        try {
            handler.handle(entry);
            redis.xack(stream, group, entry.id());
            record(JobOutcome.SUCCESS, start);
        } catch (Exception e) {
            record(JobOutcome.FAILURE, start);
            LOG.warn("stream consumer {} of {} failed on entry {} (delivery {}): {}", name, stream, entry.id(),
                    entry.deliveries(), e.toString());
        }
    }

    private void deadLetter(StreamMessage<String, String> m, long deliveries) {
        Map<String, String> body = new LinkedHashMap<>(m.getBody());
        body.put("source-stream", stream);
        body.put("source-id", m.getId());
        body.put("deliveries", Long.toString(deliveries));
        body.put("group", group);
        redis.xadd(deadLetterStream, body);
        redis.xack(stream, group, m.getId());
        LOG.warn("stream consumer {} moved entry {} of {} to {} after {} deliveries", name, m.getId(), stream,
                deadLetterStream, deliveries);
    }

    private void record(JobOutcome outcome, long start) {
        if (metrics != null) {
            metrics.jobProcessed(outcome, Duration.ofMillis(Math.max(0, clock.millis() - start)));
        }
    }

    /** Starts polling on a thread from the thread factory. */
    public synchronized void start() {
        if (running) {
            throw new IllegalStateException("consumer " + name + " is already running");
        }
        running = true;
        thread = threadFactory.newThread(() -> {
            while (running) {
                try {
                    pollOnce();
                } catch (RuntimeException e) {
                    if (running) {
                        LOG.warn("stream consumer {} of {} failed to poll: {}", name, stream, e.toString());
                        try {
                            Thread.sleep(block.toMillis()); // back off from a Redis error instead of spinning
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }
        });
        thread.start();
    }

    /** Stops after the current round, waiting up to {@code timeout}; returns whether the thread ended. */
    public boolean stop(Duration timeout) {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        if (t == null) {
            return true;
        }
        try {
            t.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    /** Stops (block time plus 5 s) and closes the connection. */
    @Override
    public void close() {
        stop(block.plusSeconds(5));
        connection.close();
    }

    /** Builds a {@link StreamConsumer}; validates eagerly. Not thread-safe. */
    public static final class Builder {
        private final RedisClient client;
        private final String stream;
        private final String group;
        private final String name;
        private final StreamHandler handler;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration block = DEFAULT_BLOCK;
        private Duration claimIdle = DEFAULT_CLAIM_IDLE;
        private int maxDeliveries = DEFAULT_MAX_DELIVERIES;
        private String deadLetterStream;
        private RunnerMetrics metrics;
        private Clock clock = Clock.systemUTC();
        private ThreadFactory threadFactory = r -> {
            Thread t = new Thread(r, "beacon-stream-consumer");
            t.setDaemon(true);
            return t;
        };

        private Builder(RedisClient client, String stream, String group, String name, StreamHandler handler) {
            this.client = Objects.requireNonNull(client, "client");
            this.stream = nonBlank("stream", stream);
            this.group = nonBlank("group", group);
            this.name = nonBlank("name", name);
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        private static String nonBlank(String param, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(param + " must not be blank but was "
                        + (value == null ? "null" : "'" + value + "'"));
            }
            return value;
        }

        /** Entries per read or claim, 1..1000; default {@value StreamConsumer#DEFAULT_BATCH_SIZE}. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 1000) {
                throw new IllegalArgumentException("batchSize must be in 1..1000 but was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Read block time, positive; default 1 s. */
        public Builder block(Duration block) {
            if (block == null || block.isNegative() || block.isZero()) {
                throw new IllegalArgumentException("block must be positive but was " + block);
            }
            this.block = block;
            return this;
        }

        /** Idle time after which pending entries are claimed, positive; default 1 min. */
        public Builder claimIdle(Duration claimIdle) {
            if (claimIdle == null || claimIdle.isNegative() || claimIdle.isZero()) {
                throw new IllegalArgumentException("claimIdle must be positive but was " + claimIdle);
            }
            this.claimIdle = claimIdle;
            return this;
        }

        /** Deliveries before dead-lettering, at least 1; default {@value StreamConsumer#DEFAULT_MAX_DELIVERIES}. */
        public Builder maxDeliveries(int maxDeliveries) {
            if (maxDeliveries < 1) {
                throw new IllegalArgumentException("maxDeliveries must be at least 1 but was " + maxDeliveries);
            }
            this.maxDeliveries = maxDeliveries;
            return this;
        }

        /** The dead-letter stream; default {@code <stream>:dead}. */
        public Builder deadLetterStream(String deadLetterStream) {
            this.deadLetterStream = nonBlank("deadLetterStream", deadLetterStream);
            return this;
        }

        /** Where {@code jobs_processed_total} is counted; default nowhere. */
        public Builder metrics(RunnerMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** The clock of handling durations; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The factory of the polling thread; default a daemon thread. */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /** Connects, creates the group if missing (from the stream's start) and returns the consumer, not started. */
        public StreamConsumer build() {
            return new StreamConsumer(this);
        }
    }
}
