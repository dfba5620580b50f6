package org.projectbeacon.outbox.redis;

import static org.projectbeacon.outbox.OutboxMetricCatalog.CONSUMER_LAG;
import static org.projectbeacon.outbox.OutboxMetricCatalog.CONSUMER_LAST_READ_AGE;
import static org.projectbeacon.outbox.OutboxMetricCatalog.CONSUMER_PENDING;
import static org.projectbeacon.outbox.OutboxMetricCatalog.CONSUMER_READ_ERRORS;
import static org.projectbeacon.outbox.OutboxMetricCatalog.SECONDS;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.projectbeacon.outbox.DeadLetterQueue;
import org.projectbeacon.outbox.NonRetryableException;
import org.projectbeacon.outbox.OutboxMetricCatalog;
import org.projectbeacon.outbox.redis.internal.StreamDeadLetter;
import org.projectbeacon.outbox.redis.internal.StreamGroups;
import org.projectbeacon.resilience.metrics.JobOutcome;
import org.projectbeacon.resilience.metrics.RunnerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer-group worker on one Redis stream, or on every partition of a partitioned one
 * ({@link Builder#partitions(int)}): reads new entries with {@code XREADGROUP}, hands each
 * to the {@link StreamHandler}, acknowledges successes with {@code XACK}, takes over entries pending
 * longer than {@link Builder#claimIdle(Duration)} (a crashed consumer's, or its own failed ones) with
 * {@code XAUTOCLAIM}, and dead-letters entries it gives up on. Every handled entry counts in
 * {@code jobs_processed_total{outcome}} through {@link RunnerMetrics#jobProcessed}.
 *
 * <p><b>Dead letters.</b> With {@link Builder#deadLetters(DeadLetterQueue)} an entry goes to the
 * outbox's dead letter queue (the one the admin API lists, groups and requeues) when the handler fails
 * at its last allowed delivery ({@code deliveries >= maxDeliveries}), when the handler throws
 * {@link NonRetryableException}, or when it is claimed with more than {@code maxDeliveries} deliveries
 * (its handlers crashed before acknowledging); the entry is acknowledged only after the insert
 * succeeded, so a database outage leaves it pending, to be dead-lettered when claimed again. Without
 * that option an entry claimed with more than {@code maxDeliveries} deliveries, or failing with
 * {@link NonRetryableException}, is copied to the dead-letter stream (its fields plus
 * {@code source-stream}, {@code source-id}, {@code deliveries}, {@code group}) and then acknowledged.
 *
 * <p><b>Self-healing.</b> No I/O happens before {@link #start()} or the first {@link #pollOnce()}.
 * The group is created from the stream's first entry ({@code XGROUP CREATE ... 0-0 MKSTREAM}) then,
 * and again after every reconnect and on every {@code NOGROUP} reply (a Redis that restarted empty, a
 * deleted stream), so entries written before the group came back are read too. A failing read or
 * claim counts in {@code outbox_consumer_read_errors_total}, shows in {@link #status()}, and is
 * logged once per incident (at WARN when it starts, at INFO when reads succeed again); the poll loop
 * waits the block time before the next round, except after {@code NOGROUP}, which it repairs at once.
 *
 * <p><b>Stopping.</b> {@link #stop(Duration)} takes no new entries, lets the entries already delivered
 * to this consumer finish within the grace, and never acknowledges an entry whose handler did not
 * return: such entries stay pending for another consumer to claim. After a clean stop with no pending
 * entry of its own the consumer removes its name from the group, so restarts do not pile up names.
 *
 * <p><b>Metrics.</b> As a {@link MeterBinder} it registers {@code outbox.consumer.lag},
 * {@code outbox.consumer.pending} (NaN while unknown), {@code outbox.consumer.last.read.age} (seconds
 * since the last successful read, or since start before it) and {@code outbox.consumer.read.errors},
 * tagged {@code stream} and {@code group}; so bind only one consumer per stream and group to a registry.
 *
 * <p><b>Partitions and topologies.</b> Entries are read with {@link WireFormat#CODEC}, so payloads keep
 * their bytes. On a partitioned stream each round claims and reads every partition, one command per
 * partition key (a cluster routes each to its master), starting with a different partition each round,
 * and blocks on one partition for the block time divided by the partition count only when no
 * partition had anything: an entry waits at most about that long. Group creation and {@code NOGROUP}
 * repair are per partition. The consumer runs on a single Redis, a Sentinel set (reconnects follow the
 * sentinels to the new primary) or a Redis Cluster, through its {@link RedisConnector}.
 *
 * <p>The consumer uses one connection of its own, because a blocking read occupies its connection; the
 * client stays the caller's. Lifecycle methods and {@link #status()} are thread-safe; {@code pollOnce}
 * must not run concurrently with itself or with the poll thread.
 */
public final class StreamConsumer implements AutoCloseable, MeterBinder {

    /** Default {@value}: entries per read or claim. */
    public static final int DEFAULT_BATCH_SIZE = 10;
    /** Default 1 s: how long a read blocks waiting for entries; also the back-off after a failed round. */
    public static final Duration DEFAULT_BLOCK = Duration.ofSeconds(1);
    /** Default 1 min: entries pending longer are claimed by this consumer. */
    public static final Duration DEFAULT_CLAIM_IDLE = Duration.ofMinutes(1);
    /** Default {@value}: deliveries after which an entry is dead-lettered. */
    public static final int DEFAULT_MAX_DELIVERIES = 5;
    /** Default 30 s: how long {@link #close()} lets the entries in hand finish. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(30);
    /** 5 s: the group figures of {@link #status()} are read again at most this often. */
    public static final Duration STATUS_REFRESH = Duration.ofSeconds(5);
    /** Suffix of the default dead-letter stream: {@value}. */
    public static final String DEAD_LETTER_SUFFIX = ":dead";

    /** How long a stop waits for Redis to remove the consumer's name; a Redis that is down must not hold up shutdown. */
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(StreamConsumer.class);

    private final RedisConnector connector;
    private final String stream;
    /** The Redis keys read: the stream's, or one per partition. */
    private final List<String> keys;
    private final String group;
    private final String name;
    private final StreamHandler handler;
    private final int batchSize;
    private final Duration block;
    private final Duration claimIdle;
    private final int maxDeliveries;
    private final String deadLetterStream;
    private final DeadLetterQueue deadLetters;
    private final String deadLetterOutboxStream;
    private final Duration stopGrace;
    private final RunnerMetrics metrics;
    private final Clock clock;
    private final ThreadFactory threadFactory;

    private RedisConnection<String, byte[]> connection; // guarded by this
    private RedisClusterCommands<String, byte[]> redis; // guarded by this
    private Thread thread; // guarded by this
    private CountDownLatch wake; // guarded by this; counted down by stop to end a back-off early
    private boolean closed; // guarded by this
    /** The keys whose group is not known to exist on the server the connection talks to. */
    private final Set<String> groupNeeded = ConcurrentHashMap.newKeySet();
    /** Rounds so far: where the next round starts among the partitions. */
    private long rounds;
    /** Whether the group was ensured once: a later creation is a recreation worth logging. */
    private volatile boolean groupEnsured;
    private volatile boolean running;
    private volatile boolean stopRequested;
    /** System.nanoTime() after which no entry starts: a real-time bound, as Thread.join's is. */
    private volatile long stopDeadlineNanos;

    private final AtomicLong readErrors = new AtomicLong();
    private final AtomicLong errorStreak = new AtomicLong();
    private volatile Instant startedAt;
    private volatile Instant lastRead;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile long pending = -1;
    private volatile long lag = -1;
    private volatile Instant figuresAt;

    private StreamConsumer(Builder b) {
        connector = b.connector;
        stream = b.stream;
        List<String> k = new ArrayList<>();
        for (int p = 0; p < b.partitions; p++) {
            k.add(b.partitions == 1 ? b.stream : RedisSinkConfig.partitionKey(b.stream, p));
        }
        keys = List.copyOf(k);
        groupNeeded.addAll(keys);
        group = b.group;
        name = b.name;
        handler = b.handler;
        batchSize = b.batchSize;
        block = b.block;
        claimIdle = b.claimIdle;
        maxDeliveries = b.maxDeliveries;
        deadLetterStream = b.deadLetterStream == null ? b.stream + DEAD_LETTER_SUFFIX : b.deadLetterStream;
        deadLetters = b.deadLetters;
        deadLetterOutboxStream = b.deadLetterOutboxStream == null ? b.stream : b.deadLetterOutboxStream;
        stopGrace = b.stopGrace;
        metrics = b.metrics;
        clock = b.clock;
        threadFactory = b.threadFactory;
    }

    /**
     * A builder for consumer {@code name} of {@code group} on {@code stream} of a single Redis or a
     * Sentinel set.
     *
     * @throws IllegalArgumentException when a name is blank
     * @throws NullPointerException when {@code client} or {@code handler} is null
     */
    public static Builder builder(RedisClient client, String stream, String group, String name, StreamHandler handler) {
        return new Builder(RedisConnector.of(client), stream, group, name, handler);
    }

    /** A builder for consumer {@code name} of {@code group} on {@code stream} of a Redis Cluster. */
    public static Builder builder(RedisClusterClient client, String stream, String group, String name,
            StreamHandler handler) {
        return new Builder(RedisConnector.of(client), stream, group, name, handler);
    }

    /**
     * A builder for consumer {@code name} of {@code group} on {@code stream} (the stream key, or the
     * base key of a partitioned stream), connecting through {@code connector}, which stays the caller's.
     */
    public static Builder builder(RedisConnector connector, String stream, String group, String name,
            StreamHandler handler) {
        return new Builder(connector, stream, group, name, handler);
    }

    /** The Redis keys this consumer reads: the stream key, or one per partition. */
    public List<String> streamKeys() {
        return keys;
    }

    /** The dead-letter stream, used when no {@link DeadLetterQueue} is set. */
    public String deadLetterStream() {
        return deadLetterStream;
    }

    /**
     * One round: claim long-pending entries, then read new ones (blocking up to the block time when
     * there are none), and handle them. Connects and creates the group first when needed. After
     * {@link #stop(Duration)} it reads nothing and returns 0, until {@link #start()}.
     *
     * <p>A {@code NOGROUP} reply is repaired, not thrown: it is recorded like any read error, the
     * group is recreated at the start of the next round, and this round returns what it handled.
     *
     * @return how many entries were handled or dead-lettered
     * @throws IllegalStateException when the consumer is closed
     * @throws io.lettuce.core.RedisException when Redis fails (recorded in {@link #status()} first)
     */
    public int pollOnce() {
        if (stopRequested) {
            return 0;
        }
        int[] done = {0};
        String key = null;
        try {
            RedisClusterCommands<String, byte[]> r = commands();
            int n = keys.size();
            int first = (int) (rounds++ % n);
            boolean claimedAny = false;
            for (int i = 0; i < n && !stopRequested; i++) {
                key = keys.get((first + i) % n);
                if (groupNeeded.contains(key)) {
                    ensureGroup(r, key);
                }
                claimedAny |= claimAndHandle(r, key, done);
            }
            for (int i = 0; i < n && !stopRequested; i++) {
                key = keys.get((first + i) % n);
                // Block on the last partition only, and only when no partition had anything.
                boolean mayBlock = i == n - 1 && !claimedAny && done[0] == 0;
                readAndHandle(r, key, mayBlock ? Math.max(1, block.toMillis() / n) : 0, done);
            }
            key = null;
            refreshFigures(r);
            return done[0];
        } catch (RuntimeException e) {
            readFailed(e);
            if (StreamGroups.isNoGroup(e)) {
                groupNeeded.add(key == null ? keys.get(0) : key);
                return done[0];
            }
            throw e;
        }
    }

    private boolean claimAndHandle(RedisClusterCommands<String, byte[]> r, String key, int[] done) {
        ClaimedMessages<String, byte[]> claimed = r.xautoclaim(key,
                XAutoClaimArgs.Builder.xautoclaim(Consumer.from(group, name), claimIdle, "0-0").count(batchSize));
        List<StreamMessage<String, byte[]>> reclaimed = claimed.getMessages();
        if (reclaimed.isEmpty()) {
            return false;
        }
        Map<String, Long> deliveries = new HashMap<>();
        String first = reclaimed.get(0).getId();
        String last = reclaimed.get(reclaimed.size() - 1).getId();
        for (PendingMessage p : r.xpending(key, Consumer.from(group, name), Range.create(first, last),
                Limit.from(Math.max(batchSize, reclaimed.size()) * 4L))) {
            deliveries.put(p.getId(), p.getRedeliveryCount());
        }
        for (StreamMessage<String, byte[]> m : reclaimed) {
            if (!mayStartEntry()) {
                break;
            }
            if (m.getBody() == null || m.getBody().isEmpty()) {
                r.xack(key, group, m.getId()); // deleted from the stream while pending
                continue;
            }
            StreamEntry entry = new StreamEntry(key, m.getId(), m.getBody(), deliveries.getOrDefault(m.getId(), 1L));
            if (entry.deliveries() > maxDeliveries) {
                deadLetter(r, entry, StreamDeadLetter.unacknowledged(entry));
            } else {
                handle(r, entry);
            }
            done[0]++;
        }
        return true;
    }

    @SuppressWarnings("unchecked") // Lettuce's generic varargs of stream offsets; one offset, no heap pollution
    private void readAndHandle(RedisClusterCommands<String, byte[]> r, String key, long blockMillis, int[] done) {
        XReadArgs args = XReadArgs.Builder.count(batchSize);
        if (blockMillis > 0) {
            args.block(blockMillis);
        }
        List<StreamMessage<String, byte[]>> fresh = r.xreadgroup(Consumer.from(group, name), args,
                XReadArgs.StreamOffset.lastConsumed(key));
        readSucceeded();
        for (StreamMessage<String, byte[]> m : fresh) {
            if (!mayStartEntry()) {
                break; // delivered but not started: stays pending for another consumer to claim
            }
            handle(r, new StreamEntry(key, m.getId(), m.getBody(), 1));
            done[0]++;
        }
    }

    /** Before a stop every entry starts; after it, only those in hand and only within the grace. */
    private boolean mayStartEntry() {
        return !stopRequested || System.nanoTime() - stopDeadlineNanos < 0;
    }

    private void handle(RedisClusterCommands<String, byte[]> r, StreamEntry entry) {
        long start = clock.millis();
        Exception failure = null;
        try {
            handler.handle(entry);
        } catch (Exception e) {
            failure = e;
        }
        if (failure == null) {
            r.xack(entry.stream(), group, entry.id()); // a Redis error here is a read error: it propagates
            record(JobOutcome.SUCCESS, start);
            return;
        }
        record(JobOutcome.FAILURE, start);
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt(); // a stop past its grace: leave the entry pending
            return;
        }
        if (failure instanceof NonRetryableException
                || (deadLetters != null && entry.deliveries() >= maxDeliveries)) {
            deadLetter(r, entry, failure);
        } else {
            LOG.warn("stream consumer {} of {} failed on entry {} (delivery {} of {}): {}", name, stream, entry.id(),
                    entry.deliveries(), maxDeliveries, failure.toString());
        }
    }

    private void deadLetter(RedisClusterCommands<String, byte[]> r, StreamEntry entry, Throwable error) {
        if (deadLetters != null) {
            int attempts = (int) Math.min(Integer.MAX_VALUE, entry.deliveries());
            try {
                deadLetters.add(StreamDeadLetter.record(entry, deadLetterOutboxStream, attempts), attempts, error);
            } catch (Exception e) {
                // Not acknowledged: the entry stays pending and is dead-lettered when claimed again.
                LOG.warn("stream consumer {} could not dead-letter entry {} of {}; it stays pending: {}", name,
                        entry.id(), stream, e.toString());
                return;
            }
            r.xack(entry.stream(), group, entry.id());
            LOG.warn("stream consumer {} moved entry {} of {} to the dead letter queue after {} deliveries: {}", name,
                    entry.id(), stream, entry.deliveries(), error.toString());
            return;
        }
        Map<String, byte[]> body = new LinkedHashMap<>(entry.rawFields()); // the payload keeps its bytes
        body.put("source-stream", utf8(entry.stream()));
        body.put("source-id", utf8(entry.id()));
        body.put("deliveries", utf8(Long.toString(entry.deliveries())));
        body.put("group", utf8(group));
        r.xadd(deadLetterStream, body);
        r.xack(entry.stream(), group, entry.id());
        LOG.warn("stream consumer {} moved entry {} of {} to {} after {} deliveries: {}", name, entry.id(), stream,
                deadLetterStream, entry.deliveries(), error.toString());
    }

    private void record(JobOutcome outcome, long start) {
        if (metrics != null) {
            metrics.jobProcessed(outcome, Duration.ofMillis(Math.max(0, clock.millis() - start)));
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private synchronized RedisClusterCommands<String, byte[]> commands() {
        if (closed) {
            throw new IllegalStateException("stream consumer " + name + " of " + stream + " is closed");
        }
        if (redis == null) {
            RedisConnection<String, byte[]> c = connector.connect(WireFormat.CODEC);
            c.stateful().addListener(new RedisConnectionStateListener() {
                @Override
                public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                    // The server we reconnect to may have lost the group (a restart without persistence,
                    // a Sentinel failover to a replica that had not seen it yet).
                    groupNeeded.addAll(keys);
                }
            });
            connection = c;
            redis = c.sync();
        }
        return redis;
    }

    private void ensureGroup(RedisClusterCommands<String, byte[]> r, String key) {
        if (StreamGroups.create(r, key, group) && groupEnsured) {
            LOG.info("stream consumer {} recreated group {} of {} from the stream's first entry", name, group, key);
        }
        groupNeeded.remove(key);
        if (groupNeeded.isEmpty()) {
            groupEnsured = true;
        }
    }

    private void readSucceeded() {
        lastRead = clock.instant();
        long streak = errorStreak.getAndSet(0);
        if (streak > 0) {
            LOG.info("stream consumer {} of {} reads again after {} failed attempts", name, stream, streak);
        }
    }

    private void readFailed(RuntimeException e) {
        readErrors.incrementAndGet();
        String text = StreamGroups.isNoGroup(e) ? e.getMessage() + "; recreating the group"
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        lastError = text;
        lastErrorAt = clock.instant();
        if (errorStreak.incrementAndGet() == 1) {
            LOG.warn("stream consumer {} of {} (group {}) failed to read: {}; retrying, and logging again when it"
                    + " recovers", name, stream, group, text);
        } else {
            LOG.debug("stream consumer {} of {} still failing: {}", name, stream, text);
        }
    }

    private void refreshFigures(RedisClusterCommands<String, byte[]> r) {
        Instant at = figuresAt;
        Instant now = clock.instant();
        if (at != null && Duration.between(at, now).compareTo(STATUS_REFRESH) < 0) {
            return;
        }
        figuresAt = now;
        try {
            long pendingSum = 0;
            long lagSum = 0;
            for (String key : keys) {
                Optional<Map<String, Object>> info = StreamGroups.group(r, key, group);
                long p = info.map(f -> StreamGroups.number(f, "pending")).orElse(-1L);
                long l = info.map(f -> lag(r, key, f)).orElse(-1L);
                pendingSum = pendingSum < 0 || p < 0 ? -1 : pendingSum + p;
                lagSum = lagSum < 0 || l < 0 ? -1 : lagSum + l;
            }
            pending = pendingSum;
            lag = lagSum;
        } catch (RuntimeException e) {
            // Figures only: the next read tells whether Redis is really failing.
            pending = -1;
            lag = -1;
            LOG.debug("stream consumer {} could not read the figures of group {}: {}", name, group, e.toString());
        }
    }

    /** Redis 7's {@code lag}; when it is nil, entries added minus entries read; -1 before Redis 7. */
    private long lag(RedisClusterCommands<String, byte[]> r, String key, Map<String, Object> groupInfo) {
        long reported = StreamGroups.number(groupInfo, "lag");
        if (reported >= 0) {
            return reported;
        }
        long read = StreamGroups.number(groupInfo, "entries-read");
        if (read < 0) {
            return -1;
        }
        long added = StreamGroups.number(StreamGroups.fields(r.xinfoStream(key)), "entries-added");
        return added < 0 ? -1 : Math.max(0, added - read);
    }

    /** An immutable snapshot of the consumer's state; never does I/O. Thread-safe. */
    public ConsumerStatus status() {
        return new ConsumerStatus(stream, group, name, running && !stopRequested, Optional.ofNullable(startedAt),
                Optional.ofNullable(lastRead), Optional.ofNullable(lastError), Optional.ofNullable(lastErrorAt),
                errorStreak.get(), pending, lag, Optional.ofNullable(figuresAt));
    }

    /**
     * Registers the four consumer meters of {@link OutboxMetricCatalog} in {@code registry}, tagged
     * {@code stream} and {@code group}. Gauges read the figures the poll loop last refreshed, so a
     * scrape never queries Redis.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Tags tags = Tags.of(OutboxMetricCatalog.TAG_STREAM, stream, OutboxMetricCatalog.TAG_GROUP, group);
        Gauge.builder(CONSUMER_LAG, this, c -> c.lag < 0 ? Double.NaN : c.lag).tags(tags)
                .description(OutboxMetricCatalog.description(CONSUMER_LAG)).register(registry);
        Gauge.builder(CONSUMER_PENDING, this, c -> c.pending < 0 ? Double.NaN : c.pending).tags(tags)
                .description(OutboxMetricCatalog.description(CONSUMER_PENDING)).register(registry);
        Gauge.builder(CONSUMER_LAST_READ_AGE, this, StreamConsumer::lastReadAgeSeconds).tags(tags).baseUnit(SECONDS)
                .description(OutboxMetricCatalog.description(CONSUMER_LAST_READ_AGE)).register(registry);
        FunctionCounter.builder(CONSUMER_READ_ERRORS, readErrors, AtomicLong::get).tags(tags)
                .description(OutboxMetricCatalog.description(CONSUMER_READ_ERRORS)).register(registry);
    }

    private double lastReadAgeSeconds() {
        Instant since = lastRead != null ? lastRead : startedAt;
        return since == null ? 0 : Math.max(0, clock.millis() - since.toEpochMilli()) / 1000.0;
    }

    /**
     * Connects, creates the group when missing, and starts polling on a thread from the thread
     * factory. When Redis cannot be reached the failure is recorded in {@link #status()} and the poll
     * thread keeps retrying: a consumer started during a Redis outage begins reading once it is back.
     *
     * @throws IllegalStateException when already running or closed
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("stream consumer " + name + " of " + stream + " is closed");
        }
        if (running) {
            throw new IllegalStateException("consumer " + name + " is already running");
        }
        stopRequested = false;
        startedAt = clock.instant();
        try {
            RedisClusterCommands<String, byte[]> r = commands();
            for (String key : keys) {
                ensureGroup(r, key);
            }
        } catch (RuntimeException e) {
            readFailed(e);
        }
        running = true;
        CountDownLatch stopSignal = new CountDownLatch(1);
        wake = stopSignal;
        thread = threadFactory.newThread(() -> pollUntilStopped(stopSignal));
        thread.start();
    }

    private void pollUntilStopped(CountDownLatch stopSignal) {
        try {
            while (!stopRequested) {
                try {
                    pollOnce();
                } catch (RuntimeException e) {
                    // Recorded and logged by pollOnce; back off instead of spinning on a failing Redis.
                    if (stopRequested || stopSignal.await(block.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running = false;
        }
    }

    /**
     * Stops taking entries: no further read or claim starts; the entries already delivered to this
     * consumer are handled while {@code grace} lasts and the one in hand may finish, and an entry whose
     * handler did not return is not acknowledged (it stays pending, for another consumer to claim).
     * When the poll thread ended in time and this consumer holds no pending entry, its name is removed
     * from the group ({@code XGROUP DELCONSUMER}, atomically checked so no pending entry is dropped).
     * When the grace runs out the poll thread is interrupted and left to end on its own.
     *
     * @param grace how long to wait for the entries in hand, not negative; should exceed the block time
     * @return whether the poll thread ended within the grace (true when none ran)
     * @throws IllegalArgumentException when {@code grace} is null or negative
     */
    public boolean stop(Duration grace) {
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative but was " + grace);
        }
        Thread t;
        synchronized (this) {
            stopDeadlineNanos = System.nanoTime() + grace.toNanos();
            stopRequested = true;
            t = thread;
            thread = null;
            if (wake != null) {
                wake.countDown();
            }
        }
        boolean ended = true;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(Math.max(1, grace.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ended = !t.isAlive();
            if (!ended) {
                LOG.warn("stream consumer {} of {} did not finish its entry within {}; interrupting it, the entry"
                        + " stays pending", name, stream, grace);
                t.interrupt();
            }
        }
        if (ended) {
            leaveGroupIfIdle();
        }
        return ended;
    }

    private void leaveGroupIfIdle() {
        RedisConnection<String, byte[]> c;
        synchronized (this) {
            c = connection;
        }
        if (c == null) {
            return;
        }
        for (String key : keys) {
            try {
                Object r = c.async().<Long>eval(StreamGroups.DELETE_IF_NO_PENDING, ScriptOutputType.INTEGER,
                        new String[] {key}, utf8(group), utf8(name)).get(LEAVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (Long.valueOf(1L).equals(r)) {
                    LOG.debug("stream consumer {} left group {} of {}", name, group, key);
                } else {
                    LOG.info("stream consumer {} keeps its name in group {} of {}: it has pending entries", name,
                            group, key);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // A leftover name is harmless; StreamAdmin.removeIdleConsumers clears it later.
                LOG.debug("stream consumer {} could not leave group {} of {}: {}", name, group, key, e.toString());
            }
        }
    }

    /**
     * Stops with the {@linkplain Builder#stopGrace(Duration) stop grace} and closes the connection. A
     * handler still running then cannot acknowledge its entry, which stays pending. Idempotent.
     */
    @Override
    public void close() {
        stop(stopGrace);
        RedisConnection<String, byte[]> c;
        synchronized (this) {
            closed = true;
            c = connection;
            connection = null;
            redis = null;
        }
        if (c != null) {
            c.close();
        }
    }

    /** Builds a {@link StreamConsumer}; validates eagerly, naming the parameter and value. Not thread-safe. */
    public static final class Builder {
        private final RedisConnector connector;
        private final String stream;
        private int partitions = 1;
        private final String group;
        private final String name;
        private final StreamHandler handler;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration block = DEFAULT_BLOCK;
        private Duration claimIdle = DEFAULT_CLAIM_IDLE;
        private int maxDeliveries = DEFAULT_MAX_DELIVERIES;
        private Duration stopGrace = DEFAULT_STOP_GRACE;
        private String deadLetterStream;
        private DeadLetterQueue deadLetters;
        private String deadLetterOutboxStream;
        private RunnerMetrics metrics;
        private Clock clock = Clock.systemUTC();
        private ThreadFactory threadFactory = r -> {
            Thread t = new Thread(r, "beacon-stream-consumer");
            t.setDaemon(true);
            return t;
        };

        private Builder(RedisConnector connector, String stream, String group, String name, StreamHandler handler) {
            this.connector = Objects.requireNonNull(connector, "client");
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

        private static Duration positive(String param, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(param + " must be positive but was " + value);
            }
            return value;
        }

        /**
         * Reads the {@code partitions} Redis streams {@code <stream>:{0}} ... of a partitioned stream
         * (as {@link RedisSinkConfig.Builder#partitions(String, int)} writes them), 1..
         * {@value RedisSinkConfig#MAX_PARTITIONS}; default 1: {@code stream} is the one Redis key.
         */
        public Builder partitions(int partitions) {
            if (partitions < 1 || partitions > RedisSinkConfig.MAX_PARTITIONS) {
                throw new IllegalArgumentException("partitions must be in 1.." + RedisSinkConfig.MAX_PARTITIONS
                        + " but was " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        /** Entries per read or claim, 1..1000; default {@value StreamConsumer#DEFAULT_BATCH_SIZE}. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 1000) {
                throw new IllegalArgumentException("batchSize must be in 1..1000 but was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Read block time and back-off after a failed round, positive; default 1 s. */
        public Builder block(Duration block) {
            this.block = positive("block", block);
            return this;
        }

        /** Idle time after which pending entries are claimed, positive; default 1 min. */
        public Builder claimIdle(Duration claimIdle) {
            this.claimIdle = positive("claimIdle", claimIdle);
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

        /** The grace {@link StreamConsumer#close()} stops with, positive; default 30 s. */
        public Builder stopGrace(Duration stopGrace) {
            this.stopGrace = positive("stopGrace", stopGrace);
            return this;
        }

        /** The dead-letter stream, used when no dead letter queue is set; default {@code <stream>:dead}. */
        public Builder deadLetterStream(String deadLetterStream) {
            this.deadLetterStream = nonBlank("deadLetterStream", deadLetterStream);
            return this;
        }

        /**
         * Dead-letters into {@code queue} (the outbox's table the admin API shows) instead of the
         * dead-letter stream; a requeued letter goes back to the outbox stream named like this
         * consumer's stream key. Default: none, the dead-letter stream is used.
         */
        public Builder deadLetters(DeadLetterQueue queue) {
            return deadLetters(queue, stream);
        }

        /**
         * Dead-letters into {@code queue}, recording {@code outboxStream} as the letters' stream: the
         * outbox stream name to requeue to, which differs from the stream key when the sink adds a
         * {@linkplain RedisSinkConfig#streamKey key prefix}.
         */
        public Builder deadLetters(DeadLetterQueue queue, String outboxStream) {
            this.deadLetters = Objects.requireNonNull(queue, "queue");
            this.deadLetterOutboxStream = nonBlank("outboxStream", outboxStream);
            return this;
        }

        /** Where {@code jobs_processed_total} is counted; default nowhere. */
        public Builder metrics(RunnerMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** The clock of handling durations, status times and read ages; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The factory of the polling thread; default a daemon thread. */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /** The consumer, not started and not connected: no I/O happens here. */
        public StreamConsumer build() {
            return new StreamConsumer(this);
        }
    }
}
