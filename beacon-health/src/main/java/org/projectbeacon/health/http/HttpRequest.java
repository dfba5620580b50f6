package org.projectbeacon.health.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A framework-neutral HTTP request, as {@link BeaconEndpoints} sees it.
 *
 * @param method the upper-case method
 * @param path the decoded path, without the query
 * @param query the decoded query parameters
 * @param headers header values by lower-case name
 * @param body the request body, at most the endpoints' body limit (empty when none)
 * @param pathParameters the values of the matched route's {@code {placeholders}}
 * @param remoteAddress the client's IP address as the server saw it, or {@code null} when unknown;
 *     for the admin audit trail
 */
public record HttpRequest(
        String method,
        String path,
        Map<String, List<String>> query,
        Map<String, List<String>> headers,
        byte[] body,
        Map<String, String> pathParameters,
        String remoteAddress) {

    /** A request whose client address is unknown. */
    public HttpRequest(String method, String path, Map<String, List<String>> query, Map<String, List<String>> headers,
            byte[] body, Map<String, String> pathParameters) {
        this(method, path, query, headers, body, pathParameters, null);
    }

    /** Validates and copies the fields. */
    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = Map.copyOf(query == null ? Map.of() : query);
        headers = Map.copyOf(headers == null ? Map.of() : headers);
        body = body == null ? new byte[0] : body;
        pathParameters = Map.copyOf(pathParameters == null ? Map.of() : pathParameters);
    }

    /** A request with no query, headers or body. */
    public static HttpRequest of(String method, String path) {
        return new HttpRequest(method, path, Map.of(), Map.of(), new byte[0], Map.of());
    }

    /** The first value of header {@code name} (any case). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The first value of query parameter {@code name}. */
    public Optional<String> queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The value of path placeholder {@code name}. @throws IllegalStateException when the route has none */
    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return value;
    }

    /**
     * The body parsed as JSON.
     *
     * @throws com.fasterxml.jackson.core.JsonProcessingException when it is not JSON; the
     *     endpoints answer 400 {@code malformed JSON}
     */
    public com.fasterxml.jackson.databind.JsonNode bodyAsJson() throws com.fasterxml.jackson.core.JsonProcessingException {
        if (body.length == 0) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        // Trailing content fails too: "{...} garbage" is not a JSON document, so nothing may act on its first part.
        return org.projectbeacon.health.internal.HealthJson.MAPPER.reader()
                .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .readTree(bodyAsText());
    }

    /**
     * The body decoded as UTF-8, strictly: a byte sequence that is not UTF-8 is rejected rather than
     * replaced with U+FFFD, so nothing is stored with characters the client never sent.
     *
     * @throws IllegalArgumentException naming the offset of the first invalid byte (a 400 for routes)
     */
    public String bodyAsText() {
        java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(body);
        try {
            return decoder.decode(in).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            // decode() leaves the buffer at the first byte it could not decode.
            int at = in.position();
            throw new IllegalArgumentException("body must be valid UTF-8 but byte " + at + " (0x"
                    + String.format("%02x", body[Math.min(at, body.length - 1)] & 0xff) + ") is not");
        }
    }

    /** This request with the given path parameters. */
    public HttpRequest withPathParameters(Map<String, String> parameters) {
        return new HttpRequest(method, path, query, headers, body, parameters, remoteAddress);
    }
}
