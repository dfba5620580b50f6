package org.projectbeacon.health.http;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One endpoint: a method, a path template with {@code {placeholders}}, whether it belongs to the
 * admin API (bearer token required), and its handler.
 *
 * @param method the upper-case method
 * @param template the path template, such as {@code /api/v1/admin/circuit-breakers/{name}/reset};
 *     also the {@code route} tag of {@code http_request_duration_seconds}
 * @param admin whether the route requires the admin token
 * @param handler the handler
 */
public record Route(String method, String template, boolean admin, RouteHandler handler) {

    private static final Pattern TEMPLATE = Pattern.compile("(/([A-Za-z0-9._-]+|\\{[A-Za-z][A-Za-z0-9_]*}))+");

    /** Validates the fields. */
    public Route {
        if (method == null || !method.matches("[A-Z]+")) {
            throw new IllegalArgumentException("method must be an upper-case HTTP method but was " + method);
        }
        if (template == null || !TEMPLATE.matcher(template).matches()) {
            throw new IllegalArgumentException("template must be a path like /a/{b}/c but was " + template);
        }
        Objects.requireNonNull(handler, "handler");
    }

    /** A public route. */
    public static Route of(String method, String template, RouteHandler handler) {
        return new Route(method, template, false, handler);
    }

    /** An admin route, behind the bearer token. */
    public static Route admin(String method, String template, RouteHandler handler) {
        return new Route(method, template, true, handler);
    }
}
