package org.projectbeacon.example.faults;

import java.io.IOException;
import java.util.List;
import org.projectbeacon.outbox.OutboxRecord;
import org.projectbeacon.outbox.SendResult;
import org.projectbeacon.outbox.spi.ForwardingOutboxSink;
import org.projectbeacon.outbox.spi.OutboxSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes everything to the real sink unless a {@code sink} fault is down; then every message and
 * probe fails (the runbook's outbox drills). Forwarding, so the reconciler's entry checks still reach
 * the real sink. Thread-safe when the delegate is.
 */
public final class FaultySink extends ForwardingOutboxSink {

    private static final Logger LOG = LoggerFactory.getLogger(FaultySink.class);

    private final Faults faults;

    /**
     * A sink failing as {@code faults} say.
     *
     * @param delegate the real sink
     * @param faults the faults in force
     */
    public FaultySink(OutboxSink delegate, Faults faults) {
        super(delegate);
        this.faults = faults;
    }

    @Override
    public List<SendResult> send(List<OutboxRecord> batch) throws Exception {
        if (faults.isOff("sink")) {
            IOException down = new IOException("stream sink refused the batch (drill fault: sink down)");
            return batch.stream().map(record -> SendResult.failed(down)).toList();
        }
        return super.send(batch);
    }

    @Override
    public void probe() throws Exception {
        if (faults.isOff("sink")) {
            throw new IOException("stream sink refused the probe (drill fault: sink down)");
        }
        super.probe();
    }

    /** Closes the real sink; a failure is logged, as stopping goes on. */
    @Override
    public void close() {
        try {
            super.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the sink failed: {}", e.toString());
        }
    }
}
