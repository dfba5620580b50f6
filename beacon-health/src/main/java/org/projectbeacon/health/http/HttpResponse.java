package org.projectbeacon.health.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * A framework-neutral HTTP response.
 *
 * @param status the status code
 * @param contentType the {@code Content-Type}, or {@code null} for no body
 * @param headers further headers
 * @param body the body bytes
 */
public record HttpResponse(int status, String contentType, Map<String, String> headers, byte[] body) {

    /** JSON media type with UTF-8. */
    public static final String JSON = "application/json; charset=utf-8";

    /** Validates and copies the fields. */
    public HttpResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be in [100, 599] but was " + status);
        }
        headers = Map.copyOf(headers == null ? Map.of() : headers);
        body = Objects.requireNonNullElse(body, new byte[0]);
    }

    /** A JSON response of already serialised bytes. */
    public static HttpResponse json(int status, byte[] json) {
        return new HttpResponse(status, JSON, Map.of(), json);
    }

    /** A JSON error body {@code {"error": message}}; the message must be short and secret-free. */
    public static HttpResponse error(int status, String message) {
        return json(status, ("{\"error\":" + JsonStrings.quote(message) + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** This response with one more header. */
    public HttpResponse withHeader(String name, String value) {
        java.util.Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpResponse(status, contentType, more, body);
    }

    /** Quotes JSON strings without a JSON library, for the error bodies of the HTTP layer. */
    static final class JsonStrings {
        private JsonStrings() {}

        static String quote(String value) {
            if (value == null) {
                return "null";
            }
            StringBuilder out = new StringBuilder(value.length() + 2).append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.append('"').toString();
        }
    }
}
