package org.projectbeacon.health.http;

/**
 * Handles the requests of one route.
 *
 * <p>Exceptions become responses without a stack trace: {@link IllegalArgumentException} → 400
 * with its message (so messages must name the bad field and value, never a secret),
 * {@link java.util.NoSuchElementException} → 404 with its message, a malformed JSON body → 400,
 * anything else → 500 {@code internal error} (logged on the server with its stack trace).
 */
@FunctionalInterface
public interface RouteHandler {

    /** Answers {@code request}. */
    HttpResponse handle(HttpRequest request) throws Exception;
}
