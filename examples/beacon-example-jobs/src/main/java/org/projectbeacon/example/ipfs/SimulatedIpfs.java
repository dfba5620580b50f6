package org.projectbeacon.example.ipfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.projectbeacon.example.faults.Faults;

/** An IPFS API simulated in-process: bundles are their own cid's bytes, slowed or failed by {@code ipfs} faults. */
public final class SimulatedIpfs implements BundleStore {

    private final Faults faults;

    /** A store obeying {@code faults}. */
    public SimulatedIpfs(Faults faults) {
        this.faults = faults;
    }

    @Override
    public byte[] fetch(String cid) throws IOException {
        long latency = faults.latencyMs("ipfs", null);
        if (latency > 0) {
            try {
                Thread.sleep(latency); // the simulated delay of a slow IPFS daemon
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching " + cid);
            }
        }
        if (faults.shouldFail("ipfs", null)) {
            throw new IOException("IPFS daemon refused cat " + cid);
        }
        return ("bundle " + cid).getBytes(StandardCharsets.UTF_8);
    }
}
