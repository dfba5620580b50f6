package org.projectbeacon.health.http;

/**
 * Runs before the handler of every matched route (after the admin token check), for concerns that
 * span routes: maintenance switches, fault injection in drills, extra access rules.
 *
 * <p>A filter answers instead of the route by returning a response, or lets the request through by
 * returning {@code null}. Its time counts in {@code http_request_duration_seconds}, and its
 * exceptions become responses as a handler's do. Filters run in the order they were added and must
 * be thread-safe.
 */
@FunctionalInterface
public interface RequestFilter {

    /** The response to answer instead of {@code route}, or {@code null} to go on. */
    HttpResponse before(Route route, HttpRequest request) throws Exception;
}
