package org.projectbeacon.resilience;

import java.util.NoSuchElementException;

/** Thrown when an operation names a guard that the registry does not hold. */
public final class UnknownGuardException extends NoSuchElementException {
    private static final long serialVersionUID = 1L;

    private final String guardName;

    /** Creates the exception for the unknown {@code guardName}. */
    public UnknownGuardException(String guardName) {
        super("no guard named '" + guardName + "'");
        this.guardName = guardName;
    }

    /** The name that matched no guard. */
    public String guardName() {
        return guardName;
    }
}
