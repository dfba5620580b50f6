package org.projectbeacon.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Talks to a runner over real HTTP, as curl in the runbook does. */
final class RunnerClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String token;

    RunnerClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body)), false);
    }

    HttpResponse<String> adminPost(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body)), true);
    }

    HttpResponse<String> adminDelete(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), true);
    }

    /** An admin GET. */
    HttpResponse<String> send(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), true);
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), false);
    }

    String submit(String region) throws Exception {
        HttpResponse<String> response = post("/api/v1/jobs", "{\"type\":\"render\",\"payload\":{\"frame\":7}"
                + (region == null ? "" : ",\"region\":\"" + region + "\"") + "}");
        if (response.statusCode() != 202) {
            throw new AssertionError("job refused: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).get("id").asText();
    }

    JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /** The sum of every sample of {@code metric} whose labels contain {@code labels} (may be empty). */
    double metric(String metric, String labels) throws Exception {
        String scrape = get("/metrics").body();
        double sum = 0;
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(metric) + "(\\{[^}]*})? ([0-9.eE+-]+|NaN)$").matcher(scrape);
        while (line.find()) {
            String found = line.group(1) == null ? "" : line.group(1);
            if (found.contains(labels)) {
                sum += Double.parseDouble(line.group(2));
            }
        }
        return sum;
    }

    private HttpResponse<String> send(HttpRequest.Builder request, boolean admin) throws Exception {
        request.header("Content-Type", "application/json");
        if (admin) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
