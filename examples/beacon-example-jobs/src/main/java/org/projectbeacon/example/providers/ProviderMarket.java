package org.projectbeacon.example.providers;

import java.io.IOException;

/** Negotiates with the providers of one region for a job. */
@FunctionalInterface
public interface ProviderMarket {

    /**
     * Probes the market of {@code region} and agrees with one provider.
     *
     * @throws IOException when no provider of the region answers
     */
    Offer negotiate(String region, String jobType) throws IOException;
}
