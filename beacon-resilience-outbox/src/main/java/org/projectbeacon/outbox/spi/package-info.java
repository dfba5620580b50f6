/**
 * Extension points of the outbox: {@link org.projectbeacon.outbox.spi.OutboxSink} (where messages go)
 * and {@link org.projectbeacon.outbox.spi.OutboxDialect} (what differs between databases).
 */
package org.projectbeacon.outbox.spi;
