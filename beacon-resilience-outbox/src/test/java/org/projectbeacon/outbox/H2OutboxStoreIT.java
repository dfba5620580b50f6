package org.projectbeacon.outbox;

import org.projectbeacon.outbox.spi.OutboxDialect;

/** The store contract on H2. */
class H2OutboxStoreIT extends AbstractOutboxStoreContract {
    @Override
    OutboxDialect dialect() {
        return OutboxDialect.h2();
    }
}
