package org.projectbeacon.example.ipfs;

import java.io.IOException;

/** Fetches a job's bundle by its content id. */
@FunctionalInterface
public interface BundleStore {

    /**
     * The bundle's bytes.
     *
     * @throws IOException when the store cannot deliver it
     */
    byte[] fetch(String cid) throws IOException;
}
