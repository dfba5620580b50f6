/**
 * The Redis side of the outbox: {@link org.projectbeacon.outbox.redis.RedisStreamSink} publishes to
 * Redis Streams, {@link org.projectbeacon.outbox.redis.StreamConsumer} reads them in a consumer group
 * and {@link org.projectbeacon.outbox.redis.StreamAdmin} helps operators.
 */
package org.projectbeacon.outbox.redis;
