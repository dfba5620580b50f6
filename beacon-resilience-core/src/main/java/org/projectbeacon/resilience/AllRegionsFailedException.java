package org.projectbeacon.resilience;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a {@link RegionFallback} call failed or was refused in every region. The message
 * lists each region in the order tried with what happened there; {@link #failures()} holds the
 * same as values, and every cause is attached as a suppressed exception.
 */
public final class AllRegionsFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String dependency;
    private final transient List<RegionFailure> failures;

    /** Creates the exception for {@code dependency} with one failure per region tried. */
    public AllRegionsFailedException(String dependency, List<RegionFailure> failures) {
        super("all regions failed for " + dependency + ": "
                + failures.stream().map(RegionFailure::describe).collect(Collectors.joining("; ")));
        this.dependency = dependency;
        this.failures = List.copyOf(failures);
        failures.forEach(failure -> addSuppressed(failure.cause()));
    }

    /** The dependency whose regions all failed. */
    public String dependency() {
        return dependency;
    }

    /** One entry per region, in the order tried. */
    public List<RegionFailure> failures() {
        return failures;
    }
}
