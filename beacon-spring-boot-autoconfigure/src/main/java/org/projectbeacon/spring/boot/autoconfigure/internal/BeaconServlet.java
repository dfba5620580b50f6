package org.projectbeacon.spring.boot.autoconfigure.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.projectbeacon.health.http.BeaconEndpoints;
import org.projectbeacon.health.http.HttpRequest;
import org.projectbeacon.health.http.HttpResponse;

/**
 * Serves {@link BeaconEndpoints} in the application's servlet container, byte for byte as Beacon's
 * own HTTP server does: same paths, JSON, status codes and bearer-token check, so the runbook's
 * {@code curl} and {@code jq} lines work unchanged. Bodies larger than the endpoints' limit are read
 * only up to one byte past it. Thread-safe.
 */
public final class BeaconServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient BeaconEndpoints endpoints;

    /**
     * A servlet over {@code endpoints}.
     *
     * @param endpoints the endpoints
     */
    public BeaconServlet(BeaconEndpoints endpoints) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name.toLowerCase(Locale.ROOT), Collections.list(request.getHeaders(name)));
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(endpoints.maxBodyBytes() + 1);
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        HttpResponse answer = endpoints.handle(new HttpRequest(
                request.getMethod().toUpperCase(Locale.ROOT), path, query(request.getQueryString()), headers, body, Map.of(),
                request.getRemoteAddr()));
        response.setStatus(answer.status());
        if (answer.contentType() != null) {
            response.setContentType(answer.contentType());
        }
        answer.headers().forEach(response::setHeader);
        response.setContentLength(answer.body().length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(answer.body());
        }
    }

    /** Decodes the query string itself: the servlet API's parameters would also consume a form body. */
    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return query;
    }
}
