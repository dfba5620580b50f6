package org.projectbeacon.resilience;

/** A registered listener; closing it stops further deliveries. Closing twice is harmless. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    /** Stops deliveries to the listener. */
    @Override
    void close();
}
