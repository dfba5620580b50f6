/**
 * Beacon's transactional outbox: {@link org.projectbeacon.outbox.Outbox} writes messages in the
 * caller's transaction; {@link org.projectbeacon.outbox.OutboxPublisher} moves them in batches to a
 * sink ({@link org.projectbeacon.outbox.redis.RedisStreamSink}, or {@link org.projectbeacon.outbox.InProcessSink}
 * for the embedded default) behind a core guard, with fenced leases, per-key order, retries with
 * backoff and a dead letter queue ({@link org.projectbeacon.outbox.DeadLetterQueue});
 * {@link org.projectbeacon.outbox.OutboxMonitor} maintains the stuck-job figures and gauges;
 * {@link org.projectbeacon.outbox.redis.StreamConsumer} and {@link org.projectbeacon.outbox.redis.StreamAdmin} are the
 * consuming side; everything Redis-specific lives in {@link org.projectbeacon.outbox.redis}. Meter names are declared in {@link org.projectbeacon.outbox.OutboxMetricCatalog}.
 */
package org.projectbeacon.outbox;
