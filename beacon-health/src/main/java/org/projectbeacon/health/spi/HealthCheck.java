package org.projectbeacon.health.spi;

import java.util.concurrent.CompletionStage;
import org.projectbeacon.health.HealthResult;

/**
 * Checks one dependency or part of the service.
 *
 * <p>The aggregator calls {@link #check()} on its own executor, at the check's interval, never from
 * an HTTP request, and never starts a run while the previous one is still going. It applies the
 * check's timeout itself: a stage that does not complete in time becomes DOWN with a timeout error.
 * A stage completed exceptionally, or an exception thrown by {@code check()}, becomes DOWN with the
 * exception's type and message, so messages must not carry secrets.
 */
@FunctionalInterface
public interface HealthCheck {

    /** Starts one run of the check; may complete synchronously or later. */
    CompletionStage<HealthResult> check();
}
