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
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * Publishes to Redis Streams with Lettuce: a batch is written as one pipeline (auto-flush off, one
 * flush) on a pooled connection, and the replies are then awaited together.
 *
 * <p>Entry fields: {@code id} (the outbox message id), {@code key} (when set), {@code content-type},
 * {@code payload}, and one {@code h:<name>} per header. With de-duplication (the default) messages go
 * through a Lua script, {@value #SCRIPT_CHUNK} per call, the calls of a batch pipelined: for each
 * message it sets {@code <prefix>beacon:outbox:dedup:<id>} with {@code NX} and the TTL and only then
 * adds the entry, atomically, and then stores the entry id in the key; a replay after a crash adds
 * nothing and reports a duplicate carrying the entry id first added (none for keys written by older
 * versions, which hold {@code 1}). If the XADD fails the script deletes the key again so a retry
 * can succeed. Without de-duplication every message is one pipelined XADD.
 *
 * <p><b>Reconciliation.</b> {@link #missingEntries} asks {@code XRANGE <stream> <id> <id>} per entry,
 * pipelined; {@link #forget} deletes de-duplication keys (pipelined {@code DEL}), so a message whose
 * entry was trimmed or deleted while its key survived is added again rather than dropped as a
 * duplicate; {@link #probe} is a {@code PING}.
 *
 * <p><b>Failures.</b> A Redis error reply for one message (such as {@code WRONGTYPE} when the stream
 * key holds another type, reported as {@link NonRetryableException}) fails only that message. A
 * connection error or a reply timeout fails the whole call, so the publisher's guard sees the outage;
 * the connection is then dropped and a new one is made on the next call. For fast outage detection
 * give the client {@code ClientOptions.disconnectedBehavior(REJECT_COMMANDS)}; otherwise commands wait
 * for {@link RedisSinkConfig#commandTimeout()}.
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
              local fields = {}
              for j = 1, n do fields[j] = ARGV[a + j] end
              a = a + n + 1
              if redis.call('SET', KEYS[i], '1', 'NX', 'EX', ARGV[1]) then
                local r
                if ARGV[2] ~= '0' then
                  r = redis.pcall('XADD', KEYS[i + 1], 'MAXLEN', '~', ARGV[2], '*', unpack(fields))
                else
                  r = redis.pcall('XADD', KEYS[i + 1], '*', unpack(fields))
                end
                if type(r) == 'table' and r.err then
                  redis.call('DEL', KEYS[i])
                  out[#out + 1] = '!' .. r.err
                else
                  redis.call('SET', KEYS[i], r, 'EX', ARGV[1])
                  out[#out + 1] = r
                end
              else
                local known = redis.call('GET', KEYS[i])
                if known and known ~= '1' then
                  out[#out + 1] = '=' .. known
                else
                  out[#out + 1] = ''
                end
              end
            end
            return out
            """;

    /** Messages per script call: bounds how long one call holds Redis; the calls of a batch are pipelined. */
    static final int SCRIPT_CHUNK = 100;

    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RedisClient client;
    private final RedisSinkConfig config;
    private final BlockingQueue<StatefulRedisConnection<String, byte[]>> idle;
    private final byte[] ttlArg;
    private final byte[] maxLenArg;
    private volatile String sha;
    private volatile boolean closed;

    private RedisStreamSink(RedisClient client, RedisSinkConfig config) {
        this.client = Objects.requireNonNull(client, "client");
        this.config = Objects.requireNonNull(config, "config");
        this.idle = new ArrayBlockingQueue<>(config.connections());
        this.ttlArg = bytes(Long.toString(config.dedupTtl().getSeconds()));
        this.maxLenArg = bytes(Long.toString(config.maxLen()));
    }

    /** A sink on {@code client}; connects lazily. */
    public static RedisStreamSink create(RedisClient client, RedisSinkConfig config) {
        return new RedisStreamSink(client, config);
    }

    /** The configuration. */
    public RedisSinkConfig config() {
        return config;
    }

    @Override
    public List<SendResult> send(List<OutboxRecord> batch) throws Exception {
        return withConnection(c -> {
            List<SendResult> results = sendOn(c, batch);
            if (config.dedup() && results.stream().anyMatch(r -> r.failure() instanceof RedisNoScriptException)) {
                // The server lost its script cache (restart, SCRIPT FLUSH): load again and resend; the
                // script itself keeps the resend from duplicating what went through.
                loadScript(c);
                results = sendOn(c, batch);
            }
            return results;
        });
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
        String key = config.streamKey(stream);
        return withConnection(c -> {
            RedisAsyncCommands<String, byte[]> async = c.async();
            List<RedisFuture<List<StreamMessage<String, byte[]>>>> futures = new ArrayList<>(entryIds.size());
            for (String id : entryIds) {
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

    /** Deletes the de-duplication keys of {@code messageIds}, one pipelined {@code DEL} per key (cluster-safe). */
    @Override
    public void forget(String stream, Collection<UUID> messageIds) throws Exception {
        if (!config.dedup() || messageIds.isEmpty()) {
            return;
        }
        withConnection(c -> {
            RedisAsyncCommands<String, byte[]> async = c.async();
            List<RedisFuture<Long>> futures = new ArrayList<>(messageIds.size());
            for (UUID id : messageIds) {
                futures.add(async.del(config.dedupKey(id)));
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
        T run(StatefulRedisConnection<String, byte[]> c) throws Exception;
    }

    /**
     * Runs {@code work} on a pooled connection, returned to the pool when the work succeeded and
     * dropped otherwise (it may be broken; the next call makes a new one).
     */
    private <T> T withConnection(ConnectionWork<T> work) throws Exception {
        if (closed) {
            throw new IllegalStateException("sink is closed");
        }
        StatefulRedisConnection<String, byte[]> c = borrow();
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

    private List<SendResult> sendOn(StatefulRedisConnection<String, byte[]> c, List<OutboxRecord> batch)
            throws Exception {
        return config.dedup() ? sendDeduplicated(c, batch) : sendPlain(c, batch);
    }

    private List<SendResult> sendDeduplicated(StatefulRedisConnection<String, byte[]> c, List<OutboxRecord> batch)
            throws Exception {
        RedisAsyncCommands<String, byte[]> async = c.async();
        List<RedisFuture<List<Object>>> futures = new ArrayList<>(batch.size() / SCRIPT_CHUNK + 1);
        for (int from = 0; from < batch.size(); from += SCRIPT_CHUNK) {
            List<OutboxRecord> chunk = batch.subList(from, Math.min(batch.size(), from + SCRIPT_CHUNK));
            String[] keys = new String[chunk.size() * 2];
            List<byte[]> args = new ArrayList<>(2 + chunk.size() * 10);
            args.add(ttlArg);
            args.add(maxLenArg);
            int k = 0;
            for (OutboxRecord r : chunk) {
                keys[k++] = config.dedupKey(r.id());
                keys[k++] = config.streamKey(r.stream());
                Map<String, byte[]> body = body(r);
                args.add(bytes(Integer.toString(body.size() * 2)));
                for (Map.Entry<String, byte[]> e : body.entrySet()) {
                    args.add(bytes(e.getKey()));
                    args.add(e.getValue());
                }
            }
            futures.add(async.evalsha(sha, ScriptOutputType.MULTI, keys, args.toArray(byte[][]::new)));
        }
        c.flushCommands();
        long deadline = System.nanoTime() + config.commandTimeout().toNanos();
        List<SendResult> results = new ArrayList<>(batch.size());
        int index = 0;
        for (RedisFuture<List<Object>> f : futures) {
            int size = Math.min(SCRIPT_CHUNK, batch.size() - index);
            index += size;
            List<Object> replies;
            try {
                replies = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RedisNoScriptException) {
                    for (int i = 0; i < size; i++) {
                        results.add(SendResult.failed(cause));
                    }
                    continue;
                }
                throw cause instanceof Exception ex ? ex : e;
            }
            for (Object reply : replies) {
                String text = reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
                if (text.isEmpty()) {
                    results.add(SendResult.duplicateEntry());
                } else if (text.startsWith("=")) {
                    results.add(new SendResult(text.substring(1), true, null));
                } else if (text.startsWith("!")) {
                    results.add(SendResult.failed(classify(text.substring(1), null)));
                } else {
                    results.add(SendResult.sent(text));
                }
            }
        }
        if (results.size() != batch.size()) {
            throw new IllegalStateException("script returned " + results.size() + " results for " + batch.size() + " messages");
        }
        return results;
    }

    private List<SendResult> sendPlain(StatefulRedisConnection<String, byte[]> c, List<OutboxRecord> batch)
            throws Exception {
        RedisAsyncCommands<String, byte[]> async = c.async();
        List<RedisFuture<String>> futures = new ArrayList<>(batch.size());
        XAddArgs xadd = config.maxLen() > 0 ? new XAddArgs().maxlen(config.maxLen()).approximateTrimming() : null;
        for (OutboxRecord r : batch) {
            Map<String, byte[]> body = body(r);
            futures.add(xadd == null ? async.xadd(config.streamKey(r.stream()), body)
                    : async.xadd(config.streamKey(r.stream()), xadd, body));
        }
        c.flushCommands();
        long deadline = System.nanoTime() + config.commandTimeout().toNanos();
        List<SendResult> results = new ArrayList<>(batch.size());
        for (RedisFuture<String> f : futures) {
            try {
                results.add(SendResult.sent(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)));
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

    private static Map<String, byte[]> body(OutboxRecord r) {
        Map<String, byte[]> body = new LinkedHashMap<>();
        body.put("id", bytes(r.id().toString()));
        if (r.key() != null) {
            body.put("key", bytes(r.key()));
        }
        body.put("content-type", bytes(r.contentType()));
        body.put("payload", r.payload());
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            body.put("h:" + h.getKey(), bytes(h.getValue()));
        }
        return body;
    }

    private StatefulRedisConnection<String, byte[]> borrow() throws Exception {
        StatefulRedisConnection<String, byte[]> c = idle.poll();
        if (c != null && c.isOpen()) {
            return c;
        }
        if (c != null) {
            c.closeAsync();
        }
        c = client.connect(CODEC);
        c.setAutoFlushCommands(false);
        if (config.dedup() && sha == null) {
            try {
                loadScript(c);
            } catch (Exception e) {
                c.closeAsync();
                throw e;
            }
        }
        return c;
    }

    /** Loads the script on a connection whose auto-flush is off, so the command must be flushed by hand. */
    private void loadScript(StatefulRedisConnection<String, byte[]> c) throws Exception {
        RedisFuture<String> f = c.async().scriptLoad(DEDUP_SCRIPT);
        c.flushCommands();
        sha = await(f, System.nanoTime() + config.commandTimeout().toNanos());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Closes the pooled connections; calls in flight close theirs when they end. */
    @Override
    public void close() {
        closed = true;
        StatefulRedisConnection<String, byte[]> c;
        while ((c = idle.poll()) != null) {
            c.close();
        }
    }
}
