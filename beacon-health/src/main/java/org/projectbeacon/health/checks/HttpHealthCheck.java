package org.projectbeacon.health.checks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.projectbeacon.health.HealthResult;
import org.projectbeacon.health.spi.HealthCheck;

/**
 * Checks an HTTP endpoint by its status code, for example the IPFS API with
 * {@code HttpHealthCheck.builder(URI.create("http://127.0.0.1:5001/api/v0/version")).method("POST").build()}.
 *
 * <p>Asynchronous over {@link HttpClient}. Any other status, or a failed connection, is DOWN; the
 * error names the status but not the URL, which may carry credentials. Thread-safe.
 */
public final class HttpHealthCheck implements HealthCheck {

    /** Default {@value}. */
    public static final int DEFAULT_EXPECTED_STATUS = 200;
    /** Default 2 s for connecting and for the response. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client;
    private final HttpRequest request;
    private final int expectedStatus;

    private HttpHealthCheck(Builder builder) {
        this.client = HttpClient.newBuilder().connectTimeout(builder.timeout).build();
        this.request = HttpRequest.newBuilder(builder.uri)
                .timeout(builder.timeout)
                .method(builder.method, HttpRequest.BodyPublishers.noBody())
                .build();
        this.expectedStatus = builder.expectedStatus;
    }

    /** A builder for a check of {@code uri}; only {@code http} and {@code https} are accepted. */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    @Override
    public CompletionStage<HealthResult> check() {
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(response ->
                response.statusCode() == expectedStatus
                        ? HealthResult.up(Map.of("status", response.statusCode()))
                        : HealthResult.down("expected HTTP " + expectedStatus + " but got " + response.statusCode()));
    }

    /** Builds an {@link HttpHealthCheck}; not thread-safe. */
    public static final class Builder {
        private final URI uri;
        private String method = "GET";
        private int expectedStatus = DEFAULT_EXPECTED_STATUS;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(URI uri) {
            Objects.requireNonNull(uri, "uri");
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("uri must be http or https but was scheme '" + uri.getScheme() + "'");
            }
            this.uri = uri;
        }

        /** The HTTP method, such as {@code GET} or {@code POST}; default GET. */
        public Builder method(String method) {
            if (method == null || !method.matches("[A-Z]+")) {
                throw new IllegalArgumentException("method must be an upper-case HTTP method but was " + method);
            }
            this.method = method;
            return this;
        }

        /** The status that means healthy; default {@value HttpHealthCheck#DEFAULT_EXPECTED_STATUS}. */
        public Builder expectStatus(int expectedStatus) {
            if (expectedStatus < 100 || expectedStatus > 599) {
                throw new IllegalArgumentException("expectedStatus must be in [100, 599] but was " + expectedStatus);
            }
            this.expectedStatus = expectedStatus;
            return this;
        }

        /** Connect and response timeout: at least 1 ms. */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.toMillis() < 1) {
                throw new IllegalArgumentException("timeout must be at least 1ms but was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Builds the check. */
        public HttpHealthCheck build() {
            return new HttpHealthCheck(this);
        }
    }
}
