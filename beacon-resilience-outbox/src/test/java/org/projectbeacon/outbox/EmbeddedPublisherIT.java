package org.projectbeacon.outbox;

import org.projectbeacon.outbox.spi.OutboxDialect;

/** The embedded default: H2 and the in-process sink, no servers. */
class EmbeddedPublisherIT extends AbstractInProcessPublisherContract {
    @Override
    OutboxDialect dialect() {
        return OutboxDialect.h2();
    }
}
