package org.projectbeacon.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.projectbeacon.outbox.redis.RedisConnection;
import org.projectbeacon.outbox.redis.RedisConnector;
import org.projectbeacon.outbox.redis.RedisSinkConfig;
import org.projectbeacon.outbox.redis.RedisStreamSink;
import org.projectbeacon.outbox.spi.OutboxDialect;
import org.projectbeacon.resilience.TestServices;

/**
 * Scale-out acceptance: drains into a Redis Cluster over 6 partitions while a master fails over
 * ({@code CLUSTER FAILOVER} on the shared cluster, restored afterwards; {@code kill -9} on a cluster of
 * the test's own), and into a Sentinel set of its own whose primary is killed. Every message id must
 * be in the streams (duplicates are counted and reported: replication is asynchronous), and each key's
 * messages in order.
 */
class RedisScaleOutIT {

    static final int PARTITIONS = 6;
    /** Messages of the drain the cluster fails over in: the issue's 200k. */
    static final int FAILOVER_MESSAGES = 200_000;
    /**
     * Keys of that drain: 10 messages each. Per-key order lets a claim take only the oldest
     * unpublished row of each key, so a round moves at most one message per key; with 1,000 keys a
     * 200k drain took 200 sequential rounds.
     */
    static final int FAILOVER_KEYS = 20_000;
    /** Messages and keys of the drains that kill a server of the test's own. */
    static final int MESSAGES = 20_000;
    static final int KEYS = 1000;

    /** What a drain found in the streams. */
    record Drain(int entries, int distinct, int duplicates) {}

    @Test
    void clusterDrainOverSixPartitionsSurvivesAClusterFailover() throws Exception {
        String seed = TestServices.clusterUri();
        int port = java.net.URI.create(seed).getPort();
        Drain d = drain("redis+cluster://127.0.0.1:" + port, FAILOVER_MESSAGES, FAILOVER_KEYS, PARTITIONS, false, keyPrefix -> {
            int slot = SlotHash.getSlot(RedisSinkConfig.partitionKey(keyPrefix + "jobs", 0));
            int[] pair = masterAndReplica(port, slot);
            clusterFailover(pair[1]);
            return () -> clusterFailover(pair[0]); // the shared cluster gets its old master back
        });
        System.out.println("[cluster drain, CLUSTER FAILOVER] " + d);
    }

    @Test
    void aMasterKilledDuringAClusterDrainLosesNothing() throws Exception {
        TestServices.clusterUri(); // in CI the topology script has run, so redis-server and redis-cli exist
        try (RedisTopologies own = RedisTopologies.cluster(7210)) {
            Drain d = drain("redis+cluster://127.0.0.1:7210", MESSAGES, KEYS, PARTITIONS, true, keyPrefix -> {
                int slot = SlotHash.getSlot(RedisSinkConfig.partitionKey(keyPrefix + "jobs", 0));
                int[] pair = masterAndReplica(7210, slot);
                own.kill9("cluster-" + pair[0]);
                await().atMost(Duration.ofSeconds(30)).until(() -> "master".equals(RedisTopologies.role(pair[1])));
                return () -> {};
            });
            System.out.println("[cluster drain, kill -9 of a master] " + d);
        }
    }

    @Test
    void aSentinelPrimaryKilledDuringADrainLosesNothing() throws Exception {
        TestServices.sentinelUri();
        try (RedisTopologies own = RedisTopologies.sentinel(7310, 26410)) {
            String uri = "redis-sentinel://127.0.0.1:26410,127.0.0.1:26411,127.0.0.1:26412#mymaster";
            Drain d = drain(uri, MESSAGES, KEYS, 1, true, keyPrefix -> {
                own.kill9("sentinel-data-7310");
                await().atMost(Duration.ofSeconds(30)).until(() -> "master".equals(RedisTopologies.role(7311)));
                return () -> {};
            });
            System.out.println("[sentinel drain, kill -9 of the primary] " + d);
        }
    }

    interface Disturbance {
        Restore apply(String keyPrefix) throws Exception;
    }

    interface Restore {
        void run() throws Exception;
    }

    /**
     * Enqueues {@code n} messages over {@code keys} keys, drains them, disturbing Redis a third of the way.
     * With {@code reconcile} the publisher keeps published rows ({@link AckMode#KEEP_UNTIL_DONE}) and an
     * {@link OutboxReconciler} resends what the disturbance lost: a master killed with {@code kill -9}
     * takes the writes its replica had not yet received with it (replication is asynchronous), which
     * only retention and reconciliation bring back (seen in CI: key k569 lost its first six messages).
     */
    Drain drain(String uri, int n, int keys, int partitions, boolean reconcile, Disturbance disturbance)
            throws Exception {
        String prefix = org.projectbeacon.outbox.TestServices.prefix("scale");
        DataSource ds = org.projectbeacon.outbox.TestServices.dataSource(OutboxDialect.postgresql(), prefix);
        OutboxConfig config = OutboxConfig.builder().dialect(OutboxDialect.postgresql()).tablePrefix(prefix).build();
        Outbox outbox = Outbox.create(config);
        outbox.migrate(ds);
        String keyPrefix = "beacon-test:" + prefix + ":";
        Set<String> ids = new HashSet<>();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                OutboxMessage m = OutboxMessage.builder("jobs").key("k" + (i % keys)).payload(Integer.toString(i / keys))
                        .build();
                outbox.enqueue(c, m);
                ids.add(m.id().toString());
                if (i % 10_000 == 9_999) {
                    c.commit();
                }
            }
            c.commit();
        }
        RedisSinkConfig sinkConfig = RedisSinkConfig.builder().keyPrefix(keyPrefix).partitions("jobs", partitions)
                .connections(4).commandTimeout(Duration.ofSeconds(3)).build();
        OutboxMetrics metrics = OutboxMetrics.create();
        Restore restore = () -> {};
        try (RedisConnector connector = RedisConnector.create(uri);
                RedisStreamSink sink = RedisStreamSink.create(connector, sinkConfig);
                OutboxPublisher publisher = OutboxPublisher.builder(ds, config, sink).metrics(metrics)
                        .config(PublisherConfig.builder().workers(4).batchSize(1000)
                                .ackMode(reconcile ? AckMode.KEEP_UNTIL_DONE : AckMode.DELETE)
                                .pollInterval(Duration.ofMillis(50)).build()).build()) {
            publisher.start();
            await().atMost(Duration.ofMinutes(2)).until(() -> metrics.publishedTotal() >= n / 3);
            restore = disturbance.apply(keyPrefix);
            await().atMost(Duration.ofMinutes(3)).until(() -> backlog(ds, config) == 0);
            Set<String> resent = new HashSet<>();
            if (reconcile) {
                // Nothing is consumed here, so nothing is done: every row whose entry is gone is resent.
                OutboxReconciler reconciler = OutboxReconciler.builder(ds, config, sink, messageIds -> Set.of())
                        .config(ReconcilerConfig.builder().grace(Duration.ZERO).build()).metrics(metrics).build();
                for (int round = 0; round < 5 && reconciler.reconcileOnce().republished() > 0; round++) {
                    await().atMost(Duration.ofMinutes(1)).until(() -> backlog(ds, config) == 0);
                }
                resent.addAll(republished(ds, config));
            }
            publisher.close();
            Drain d = verify(connector, sinkConfig, ids, resent);
            System.out.println("[drain] " + resent.size() + " messages lost by the disturbance and resent by the reconciler");
            try (RedisConnection<String, String> c = connector.connect()) {
                c.sync().del(sinkConfig.streamKeys("jobs").toArray(String[]::new));
            }
            return d;
        } finally {
            restore.run();
            org.projectbeacon.outbox.TestServices.dropTables(ds, config);
        }
    }

    /** The ids of rows the reconciler made unpublished again (their history says so). */
    static Set<String> republished(DataSource ds, OutboxConfig config) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Connection c = ds.getConnection(); var st = c.createStatement();
                var rs = st.executeQuery("SELECT id FROM " + config.outboxTable() + " WHERE history LIKE '%republished%'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * Every id at least once in the partitions, and each key's sequence numbers in order: exactly
     * consecutive when nothing was resent; otherwise increasing for the messages never resent (a
     * resent message comes after its key's later ones, which is all a resend after a loss can do).
     */
    static Drain verify(RedisConnector connector, RedisSinkConfig config, Set<String> ids, Set<String> resent) {
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> lastSeq = new HashMap<>();
        int entries = 0;
        try (RedisConnection<String, String> c = connector.connect()) {
            for (String key : config.streamKeys("jobs")) {
                String from = "-";
                while (true) {
                    List<StreamMessage<String, String>> page = c.sync().xrange(key, Range.create(from, "+"),
                            Limit.from(10_000));
                    for (StreamMessage<String, String> m : page) {
                        if (m.getId().equals(from)) {
                            continue;
                        }
                        entries++;
                        String id = m.getBody().get("id");
                        if (seen.merge(id, 1, Integer::sum) > 1) {
                            continue; // a duplicate: counted, and its order does not matter
                        }
                        if (resent.contains(id)) {
                            continue;
                        }
                        String k = m.getBody().get("key");
                        int seq = Integer.parseInt(m.getBody().get("payload"));
                        Integer last = lastSeq.put(k, seq);
                        if (resent.isEmpty()) {
                            assertThat(seq).as("order of key %s in %s", k, key).isEqualTo(last == null ? 0 : last + 1);
                        } else {
                            assertThat(seq).as("order of key %s in %s", k, key).isGreaterThan(last == null ? -1 : last);
                        }
                    }
                    if (page.size() < 10_000) {
                        break;
                    }
                    from = page.get(page.size() - 1).getId();
                }
            }
        }
        // Set arithmetic, not containsAll: AssertJ's containsAll scans the actual set once per expected
        // element, which for 200k ids never finished.
        Set<String> missing = new HashSet<>(ids);
        missing.removeAll(seen.keySet());
        assertThat(missing).as("message ids missing from the streams").isEmpty();
        assertThat(seen).as("distinct ids in the streams").hasSize(ids.size());
        return new Drain(entries, seen.size(), entries - seen.size());
    }

    static long backlog(DataSource ds, OutboxConfig config) throws SQLException {
        try (Connection c = ds.getConnection(); var st = c.createStatement();
                var rs = st.executeQuery("SELECT COUNT(*) FROM " + config.outboxTable() + " WHERE published_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The ports of the master serving {@code slot} and of one of its replicas, from {@code CLUSTER NODES}. */
    static int[] masterAndReplica(int anyNode, int slot) {
        String nodes = withNode(anyNode, c -> c.sync().clusterNodes());
        String masterId = null;
        int masterPort = -1;
        for (String line : nodes.lines().toList()) {
            String[] f = line.split(" ");
            if (!f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                String[] range = f[i].split("-");
                int lo = Integer.parseInt(range[0]);
                int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                if (slot >= lo && slot <= hi) {
                    masterId = f[0];
                    masterPort = port(f[1]);
                }
            }
        }
        for (String line : nodes.lines().toList()) {
            String[] f = line.split(" ");
            if (f[3].equals(masterId) && !f[2].contains("fail")) {
                return new int[] {masterPort, port(f[1])};
            }
        }
        throw new IllegalStateException("no replica of the master of slot " + slot + " in " + nodes);
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1).split("@")[0]);
    }

    /** {@code CLUSTER FAILOVER} on the replica at {@code port}, waiting until it is a master. */
    static void clusterFailover(int port) {
        withNode(port, c -> c.sync().clusterFailover(false));
        await().atMost(Duration.ofSeconds(30)).until(() -> "master".equals(RedisTopologies.role(port)));
    }

    private static <T> T withNode(int port, java.util.function.Function<StatefulRedisConnection<String, String>, T> f) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return f.apply(c);
        } finally {
            client.shutdown();
        }
    }
}
