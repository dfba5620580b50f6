package org.projectbeacon.example.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The suite's HTTP client: it talks to a runner only through its public HTTP API, as an outside
 * client would. Thread-safe (one {@link HttpClient} underneath).
 */
final class E2eHttp {

    /** The admin API's bearer token every runner of the suite is started with. */
    static final String TOKEN = "e2e-admin-token-0123456789";
    /** How long one request may take: a hung runner must not hang the suite. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** {@code POST} of raw bytes, so a test can send what no JSON writer would. */
    HttpResponse<String> post(int port, String path, byte[] body, boolean admin) throws IOException, InterruptedException {
        return send(request(port, path, admin).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** {@code POST} of a UTF-8 string. */
    HttpResponse<String> post(int port, String path, String body, boolean admin) throws IOException, InterruptedException {
        return post(port, path, body.getBytes(StandardCharsets.UTF_8), admin);
    }

    /** {@code GET}. */
    HttpResponse<String> get(int port, String path, boolean admin) throws IOException, InterruptedException {
        return send(request(port, path, admin).GET());
    }

    /** Injects a drill fault ({@code POST /api/v1/admin/faults}); fails unless the runner took it. */
    void fault(int port, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = post(port, "/api/v1/admin/faults", json, true);
        if (response.statusCode() != 201) {
            throw new AssertionError("fault " + json + " refused by the runner on port " + port + ": "
                    + response.statusCode() + " " + response.body());
        }
    }

    static JsonNode json(String body) throws IOException {
        return JSON.readTree(body);
    }

    private static HttpRequest.Builder request(int port, String path, boolean admin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json");
        if (admin) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
