package org.projectbeacon.maven.check;

/** The inputs cannot be verified at all: a path is missing, a runbook unreadable. The message names the path. */
public final class VerificationException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming what is wrong. */
    public VerificationException(String message) {
        super(message);
    }
}
