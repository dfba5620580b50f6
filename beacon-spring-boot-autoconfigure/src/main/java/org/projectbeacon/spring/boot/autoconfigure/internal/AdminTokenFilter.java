package org.projectbeacon.spring.boot.autoconfigure.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lets a request through only with {@code Authorization: Bearer <token>}, compared in constant time;
 * 401 with {@code WWW-Authenticate: Bearer} otherwise, and 403 for every request when no token is
 * configured, as Beacon's admin API answers. The token is never logged. Thread-safe.
 */
public final class AdminTokenFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final String BEARER = "Bearer ";

    private final byte[] digest;

    /**
     * A filter for {@code token}.
     *
     * @param token the bearer token, or {@code null}/blank to refuse every request
     */
    public AdminTokenFilter(String token) {
        this.digest = token == null || token.isBlank() ? null : sha256(token);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (digest == null) {
            refuse(response, 403, "admin API is disabled");
            return;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.startsWith(BEARER)
                || !MessageDigest.isEqual(digest, sha256(header.substring(BEARER.length()).trim()))) {
            response.setHeader("WWW-Authenticate", "Bearer");
            refuse(response, 401, "unauthorized");
            return;
        }
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        byte[] body = ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json; charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
