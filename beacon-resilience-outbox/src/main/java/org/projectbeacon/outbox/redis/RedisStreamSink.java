package org.projectbeacon.outbox.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.projectbeacon.outbox.NonRetryableException;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.SendResult;
import org.projectbeacon.outbox.spi.OutboxSink;

/**
 * Publishes to Redis Streams with Lettuce, on a single Redis, a Sentinel-managed primary or a Redis
 * Cluster ({@link RedisConnector}): a batch is written as one pipeline (auto-flush off, one flush) on
 * a pooled connection, and the replies are then awaited together. On a cluster the flush sends each
 * master its share at once.
 *
 * <p>Entries carry the fields of {@link WireFormat}, the payload as raw bytes. A message goes to its
 * stream's Redis key, or to one of its partitions ({@link RedisSinkConfig#partitions(String)}),
 * chosen by the message key so one key's messages keep their order. With de-duplication (the
 * default) messages go through a Lua script, grouped by hash slot and {@value #SCRIPT_CHUNK} per call,
 * the calls of a batch pipelined: for each message it reads the message's de-duplication key (in its
 * stream's slot, see {@link RedisSinkConfig}) and, when it is absent, adds the entry and stores its
 * id in the key with the TTL; a script runs atomically, so nothing comes between the read and the
 * write, and a replay after a crash adds nothing and reports a duplicate carrying the entry id first
 * added. A failed XADD writes no key, so a retry can succeed. (One read and two writes per new
 * message: the earlier {@code SET NX} + {@code XADD} + {@code SET} made three writes, see
 * docs/BENCHMARKS.md.) Without de-duplication every message is one pipelined XADD. The
 * script is called by its SHA-1; a server that does not know it yet ({@code NOSCRIPT}: a new node, a
 * restart, a failover) gets the script itself once, and the script keeps that resend from duplicating.
 *
 * <p><b>Entry ids.</b> {@link SendResult#entryId()} is the Redis entry id; for a partitioned stream it
 * is {@code <partition>/<entry id>}, so {@link #missingEntries} knows where to look.
 *
 * <p><b>Reconciliation.</b> {@link #missingEntries} asks {@code XRANGE <stream> <id> <id>} per entry,
 * pipelined; {@link #forget} deletes de-duplication keys (pipelined {@code DEL}, in every partition's
 * slot since the message key is not known then), so a message whose entry was trimmed or deleted
 * while its key survived is added again rather than dropped as a duplicate; {@link #probe} is a
 * {@code PING}.
 *
 * <p><b>Failures.</b> A Redis error reply for one message (such as {@code WRONGTYPE} when the stream
 * key holds another type, reported as {@link NonRetryableException}) fails only that message. A
 * connection error or a reply timeout fails the whole call, so the publisher's guard sees the outage;
 * the connection is then dropped and a new one is made on the next call (through the sentinels, for a
 * Sentinel URI, so a failover is followed). What a failed call did write is de-duplicated when the
 * batch is sent again. For fast outage detection give the client
 * {@code ClientOptions.disconnectedBehavior(REJECT_COMMANDS)}; otherwise commands wait for
 * {@link RedisSinkConfig#commandTimeout()}.
 *
 * <p>Thread-safe: each call borrows its own connection. The client stays the caller's.
 */
public final class RedisStreamSink implements OutboxSink {

    /**
     * De-duplicating add of a chunk of messages. KEYS: dedup key and stream key of each message, in
     * turn. ARGV: TTL seconds, MAXLEN (0 for none), then per message the number of field/value
     * arguments followed by them. Returns per message the entry id, {@code "=<entry id>"} for a
     * duplicate whose key holds the entry id, {@code ""} for one whose key does not (written as
     * {@code 1} by an older version), or {@code "!<error>"}; errors stay per message so one poison
     * message fails alone.
     */
    static final String DEDUP_SCRIPT = """
            local out = {}
            local a = 3
            for i = 1, #KEYS, 2 do
              local n = tonumber(ARGV[a])
              local known = redis.call('GET', KEYS[i])
              if known then
                if known ~= '1' then
                  out[#out + 1] = '=' .. known
                else
                  out[#out + 1] = ''
                end
              else
                local r
                if ARGV[2] ~= '0' then
                  r = redis.pcall('XADD', KEYS[i + 1], 'MAXLEN', '~', ARGV[2], '*', unpack(ARGV, a + 1, a + n))
                else
                  r = redis.pcall('XADD', KEYS[i + 1], '*', unpack(ARGV, a + 1, a + n))
                end
                if type(r) == 'table' and r.err then
                  out[#out + 1] = '!' .. r.err
                else
                  redis.call('SET', KEYS[i], r, 'EX', ARGV[1])
                  out[#out + 1] = r
                end
              end
              a = a + n + 1
            end
            return out
            """;

    /** Messages per script call: bounds how long one call holds Redis; the calls of a batch are pipelined. */
    static final int SCRIPT_CHUNK = 100;

    /** The SHA-1 of {@link #DEDUP_SCRIPT}, as {@code EVALSHA} wants it. */
    static final String DEDUP_SHA = sha1(DEDUP_SCRIPT);

    private final RedisConnector connector;
    private final RedisSinkConfig config;
    private final BlockingQueue<RedisConnection<String, byte[]>> idle;
    private final byte[] ttlArg;
    private final byte[] maxLenArg;
    private volatile boolean closed;

    private RedisStreamSink(RedisConnector connector, RedisSinkConfig config) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.config = Objects.requireNonNull(config, "config");
        this.idle = new ArrayBlockingQueue<>(config.connections());
        this.ttlArg = bytes(Long.toString(config.dedupTtl().getSeconds()));
        this.maxLenArg = bytes(Long.toString(config.maxLen()));
    }

    /** A sink on a single Redis or a Sentinel set; connects lazily. */
    public static RedisStreamSink create(RedisClient client, RedisSinkConfig config) {
        return new RedisStreamSink(RedisConnector.of(client), config);
    }

    /** A sink on a Redis Cluster; connects lazily. */
    public static RedisStreamSink create(RedisClusterClient client, RedisSinkConfig config) {
        return new RedisStreamSink(RedisConnector.of(client), config);
    }

    /** A sink through {@code connector}; connects lazily. The connector stays the caller's. */
    public static RedisStreamSink create(RedisConnector connector, RedisSinkConfig config) {
        return new RedisStreamSink(connector, config);
    }

    /** The configuration. */
    public RedisSinkConfig config() {
        return config;
    }

    @Override
    public List<SendResult> send(List<OutboxRecord> batch) throws Exception {
        return withConnection(c -> config.dedup() ? sendDeduplicated(c, batch) : sendPlain(c, batch));
    }

    /**
     * {@code XRANGE <stream> <id> <id> COUNT 1} per entry id, pipelined on one connection: an empty
     * reply (entry deleted or trimmed, or the stream gone) is a missing entry.
     */
    @Override
    public Set<String> missingEntries(String stream, List<String> entryIds) throws Exception {
        if (entryIds.isEmpty()) {
            return Set.of();
        }
        return withConnection(c -> {
            RedisClusterAsyncCommands<String, byte[]> async = c.async();
            List<RedisFuture<List<StreamMessage<String, byte[]>>>> futures = new ArrayList<>(entryIds.size());
            for (String ref : entryIds) {
                int slash = ref.indexOf('/');
                String key = slash < 0 ? config.streamKey(stream)
                        : config.streamKey(stream, Integer.parseInt(ref.substring(0, slash)));
                String id = ref.substring(slash + 1);
                futures.add(async.xrange(key, Range.create(id, id), Limit.from(1)));
            }
            c.flushCommands();
            long deadline = System.nanoTime() + config.commandTimeout().toNanos();
            Set<String> missing = new HashSet<>();
            for (int i = 0; i < futures.size(); i++) {
                if (await(futures.get(i), deadline).isEmpty()) {
                    missing.add(entryIds.get(i));
                }
            }
            return missing;
        });
    }

    /**
     * Deletes the de-duplication keys of {@code messageIds}, one pipelined {@code DEL} per key and
     * partition (cluster-safe: single-key commands).
     */
    @Override
    public void forget(String stream, Collection<UUID> messageIds) throws Exception {
        if (!config.dedup() || messageIds.isEmpty()) {
            return;
        }
        withConnection(c -> {
            RedisClusterAsyncCommands<String, byte[]> async = c.async();
            List<String> keys = config.streamKeys(stream);
            List<RedisFuture<Long>> futures = new ArrayList<>(messageIds.size() * keys.size());
            for (UUID id : messageIds) {
                for (String key : keys) {
                    futures.add(async.del(config.dedupKey(key, id)));
                }
            }
            c.flushCommands();
            long deadline = System.nanoTime() + config.commandTimeout().toNanos();
            for (RedisFuture<Long> f : futures) {
                await(f, deadline);
            }
            return null;
        });
    }

    /** {@code PING} on a pooled connection, within the command timeout. */
    @Override
    public void probe() throws Exception {
        withConnection(c -> {
            RedisFuture<String> f = c.async().ping();
            c.flushCommands();
            return await(f, System.nanoTime() + config.commandTimeout().toNanos());
        });
    }

    private interface ConnectionWork<T> {
        T run(RedisConnection<String, byte[]> c) throws Exception;
    }

    /**
     * Runs {@code work} on a pooled connection, returned to the pool when the work succeeded and
     * dropped otherwise (it may be broken; the next call makes a new one).
     */
    private <T> T withConnection(ConnectionWork<T> work) throws Exception {
        if (closed) {
            throw new IllegalStateException("sink is closed");
        }
        RedisConnection<String, byte[]> c = borrow();
        boolean healthy = false;
        try {
            T result = work.run(c);
            healthy = true;
            return result;
        } finally {
            if (!healthy || closed || !idle.offer(c)) {
                c.closeAsync();
            }
        }
    }

    /** The reply of {@code f}, waiting until {@code deadline} (nanoTime) at most; a Redis error is rethrown as itself. */
    private static <T> T await(RedisFuture<T> f, long deadline) throws Exception {
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** One message on its way: its index in the batch, its stream key and its fields. */
    private record Outgoing(int index, OutboxRecord record, String streamKey, String entryPrefix) {}

    private List<Outgoing> route(List<OutboxRecord> batch) {
        List<Outgoing> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            OutboxRecord r = batch.get(i);
            if (config.partitions(r.stream()) == 1) {
                out.add(new Outgoing(i, r, config.streamKey(r.stream()), ""));
            } else {
                int p = config.partition(r.stream(), r.key(), r.id());
                out.add(new Outgoing(i, r, config.streamKey(r.stream(), p), p + "/"));
            }
        }
        return out;
    }

    /**
     * Script calls of at most {@value #SCRIPT_CHUNK} messages whose keys share one hash slot (on a
     * cluster; a single server takes the batch in order), each group keeping batch order.
     */
    private List<List<Outgoing>> chunks(List<Outgoing> outgoing) {
        Map<Integer, List<Outgoing>> bySlot = new LinkedHashMap<>();
        for (Outgoing o : outgoing) {
            int slot = connector.cluster() ? SlotHash.getSlot(o.streamKey()) : 0;
            bySlot.computeIfAbsent(slot, s -> new ArrayList<>()).add(o);
        }
        List<List<Outgoing>> chunks = new ArrayList<>();
        for (List<Outgoing> group : bySlot.values()) {
            for (int from = 0; from < group.size(); from += SCRIPT_CHUNK) {
                chunks.add(group.subList(from, Math.min(group.size(), from + SCRIPT_CHUNK)));
            }
        }
        return chunks;
    }

    private List<SendResult> sendDeduplicated(RedisConnection<String, byte[]> c, List<OutboxRecord> batch)
            throws Exception {
        SendResult[] results = new SendResult[batch.size()];
        List<List<Outgoing>> pending = chunks(route(batch));
        // First by SHA-1; the chunks a node answered NOSCRIPT go again with the script itself.
        for (boolean withScript : new boolean[] {false, true}) {
            pending = sendChunks(c, pending, withScript, results);
            if (pending.isEmpty()) {
                break;
            }
        }
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) {
                throw new IllegalStateException("no script result for message " + i + " of " + batch.size());
            }
        }
        return Arrays.asList(results);
    }

    /** Sends {@code chunks} pipelined, fills {@code results}, and returns the chunks answered NOSCRIPT. */
    private List<List<Outgoing>> sendChunks(RedisConnection<String, byte[]> c, List<List<Outgoing>> chunks,
            boolean withScript, SendResult[] results) throws Exception {
        RedisClusterAsyncCommands<String, byte[]> async = c.async();
        List<RedisFuture<List<Object>>> futures = new ArrayList<>(chunks.size());
        for (List<Outgoing> chunk : chunks) {
            String[] keys = new String[chunk.size() * 2];
            List<byte[]> args = new ArrayList<>(2 + chunk.size() * 10);
            args.add(ttlArg);
            args.add(maxLenArg);
            int k = 0;
            for (Outgoing o : chunk) {
                keys[k++] = config.dedupKey(o.streamKey(), o.record().id());
                keys[k++] = o.streamKey();
                Map<String, byte[]> body = WireFormat.encode(o.record());
                args.add(bytes(Integer.toString(body.size() * 2)));
                for (Map.Entry<String, byte[]> e : body.entrySet()) {
                    args.add(bytes(e.getKey()));
                    args.add(e.getValue());
                }
            }
            byte[][] argv = args.toArray(byte[][]::new);
            futures.add(withScript ? async.eval(DEDUP_SCRIPT, ScriptOutputType.MULTI, keys, argv)
                    : async.evalsha(DEDUP_SHA, ScriptOutputType.MULTI, keys, argv));
        }
        c.flushCommands();
        long deadline = System.nanoTime() + config.commandTimeout().toNanos();
        List<List<Outgoing>> noScript = new ArrayList<>();
        for (int n = 0; n < futures.size(); n++) {
            List<Outgoing> chunk = chunks.get(n);
            List<Object> replies;
            try {
                replies = futures.get(n).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RedisNoScriptException) {
                    if (withScript) {
                        throw (RedisNoScriptException) cause;
                    }
                    noScript.add(chunk);
                    continue;
                }
                throw cause instanceof Exception ex ? ex : e;
            }
            if (replies.size() != chunk.size()) {
                throw new IllegalStateException("script returned " + replies.size() + " results for " + chunk.size()
                        + " messages");
            }
            for (int i = 0; i < chunk.size(); i++) {
                results[chunk.get(i).index()] = result(replies.get(i), chunk.get(i).entryPrefix());
            }
        }
        return noScript;
    }

    private static SendResult result(Object reply, String entryPrefix) {
        String text = reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
        if (text.isEmpty()) {
            return SendResult.duplicateEntry();
        } else if (text.startsWith("=")) {
            return new SendResult(entryPrefix + text.substring(1), true, null);
        } else if (text.startsWith("!")) {
            return SendResult.failed(classify(text.substring(1), null));
        }
        return SendResult.sent(entryPrefix + text);
    }

    private List<SendResult> sendPlain(RedisConnection<String, byte[]> c, List<OutboxRecord> batch)
            throws Exception {
        RedisClusterAsyncCommands<String, byte[]> async = c.async();
        List<Outgoing> outgoing = route(batch);
        List<RedisFuture<String>> futures = new ArrayList<>(batch.size());
        XAddArgs xadd = config.maxLen() > 0 ? new XAddArgs().maxlen(config.maxLen()).approximateTrimming() : null;
        for (Outgoing o : outgoing) {
            Map<String, byte[]> body = WireFormat.encode(o.record());
            futures.add(xadd == null ? async.xadd(o.streamKey(), body) : async.xadd(o.streamKey(), xadd, body));
        }
        c.flushCommands();
        long deadline = System.nanoTime() + config.commandTimeout().toNanos();
        List<SendResult> results = new ArrayList<>(batch.size());
        for (int i = 0; i < futures.size(); i++) {
            try {
                results.add(SendResult.sent(outgoing.get(i).entryPrefix()
                        + futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RedisCommandExecutionException rce) {
                    // An error reply concerns this message only (wrong key type, bad argument).
                    results.add(SendResult.failed(classify(String.valueOf(rce.getMessage()), rce)));
                } else {
                    throw cause instanceof Exception ex ? ex : e;
                }
            }
        }
        return results;
    }

    /** Error replies about the key or the arguments cannot succeed on retry; others (such as OOM, BUSY) may. */
    private static RuntimeException classify(String message, Throwable cause) {
        if (message.startsWith("WRONGTYPE") || message.startsWith("ERR")) {
            return new NonRetryableException(message, cause);
        }
        return new RedisCommandExecutionException(message);
    }

    private RedisConnection<String, byte[]> borrow() {
        RedisConnection<String, byte[]> c = idle.poll();
        if (c != null && c.isOpen()) {
            return c;
        }
        if (c != null) {
            c.closeAsync();
        }
        c = connector.connect(WireFormat.CODEC);
        c.setAutoFlushCommands(false);
        return c;
    }

    private static String sha1(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(40);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Closes the pooled connections; calls in flight close theirs when they end. */
    @Override
    public void close() {
        closed = true;
        RedisConnection<String, byte[]> c;
        while ((c = idle.poll()) != null) {
            c.close();
        }
    }
}
