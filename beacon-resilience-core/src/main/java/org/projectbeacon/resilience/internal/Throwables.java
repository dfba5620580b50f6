package org.projectbeacon.resilience.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/** Helpers for the wrappers asynchronous code puts around a call's real exception. */
final class Throwables {

    private Throwables() {}

    /** The first cause that is not a {@link CompletionException} or {@link ExecutionException}. */
    static Throwable unwrap(Throwable throwable) {
        Throwable current = throwable;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** {@code predicate} applied to the unwrapped exception. */
    static Predicate<Throwable> onUnwrapped(Predicate<Throwable> predicate) {
        return throwable -> predicate.test(unwrap(throwable));
    }
}
