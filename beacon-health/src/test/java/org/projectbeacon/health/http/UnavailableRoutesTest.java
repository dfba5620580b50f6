package org.projectbeacon.health.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A route whose dependency is down answers 503 with Retry-After; a body that is not UTF-8 is a 400. */
class UnavailableRoutesTest {

    private final BeaconEndpoints endpoints = BeaconEndpoints.builder()
            .route(Route.of("POST", "/db", request -> {
                throw new SQLTransientConnectionException("Connection to 127.0.0.1:5432 refused");
            }))
            .route(Route.of("POST", "/stopping", request -> {
                throw new UnavailableException("the runner is stopping", Duration.ofMillis(1500), null);
            }))
            .route(Route.of("POST", "/echo", request -> BeaconEndpoints.json(200, request.bodyAsJson())))
            .build();

    private HttpResponse post(String path, byte[] body) {
        return endpoints.handle(new HttpRequest("POST", path, Map.of(), Map.of(), body, Map.of()));
    }

    @Test
    void anSqlExceptionIsA503WithRetryAfterAndNoDetail() {
        HttpResponse response = post("/db", new byte[0]);
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers()).containsEntry("Retry-After", "5");
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(body).contains("database unavailable").doesNotContain("5432").doesNotContain("Exception");
    }

    @Test
    void anUnavailableExceptionCarriesItsRetryAfterRoundedUp() {
        HttpResponse response = post("/stopping", new byte[0]);
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers()).containsEntry("Retry-After", "2");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("the runner is stopping");
    }

    @Test
    void aBodyThatIsNotUtf8IsRejectedNamingTheByte() {
        byte[] body = "{\"type\":\"render\",\"x\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse response = post("/echo", body);
        assertThat(response.status()).isEqualTo(400);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("valid UTF-8").contains("0xe9");
        assertThat(post("/echo", "{\"x\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
    }

    @Test
    void retryAfterMustBePositive() {
        assertThatThrownBy(() -> new UnavailableException("x", Duration.ZERO, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryAfter");
    }
}
