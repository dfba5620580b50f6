package org.projectbeacon.health.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectbeacon.health.HealthAggregator;
import org.projectbeacon.health.HealthResult;

/**
 * Real HTTP/1.1 on one loopback connection: requests without a body (a probe's GET, an explicit
 * {@code Content-Length: 0}) are answered without reading a body buffer, and the connection stays
 * open for the next request, with or without a body (fixed length, chunked, over the limit). Every
 * request of a test goes over the same socket, so a connection the server closed fails the test.
 */
class RequestBodyIT {

    private final HealthAggregator health = HealthAggregator.builder()
            .check("database", () -> CompletableFuture.completedFuture(HealthResult.up()))
            .build();
    private BeaconHttpServer server;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    @BeforeEach
    void start() throws Exception {
        health.refreshNow();
        BeaconEndpoints endpoints = BeaconEndpoints.builder()
                .health(health)
                .maxBodyBytes(16)
                .route(Route.of("POST", "/api/v1/echo", request -> HttpResponse.json(200, request.body())))
                .route(Route.of("GET", "/api/v1/length", request ->
                        HttpResponse.json(200, ("{\"length\":" + request.body().length + "}").getBytes(StandardCharsets.UTF_8))))
                .build();
        server = BeaconHttpServer.builder(endpoints).port(0).build().start();
        socket = new Socket("127.0.0.1", server.port());
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    @AfterEach
    void stop() throws IOException {
        socket.close();
        server.close();
        health.close();
    }

    @Test
    void probesWithoutABodyKeepTheConnectionForRequestsWithBodies() throws IOException {
        for (int i = 0; i < 3; i++) {
            assertThat(exchange("GET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n"))
                    .startsWith("200 ").contains("\"status\":\"UP\"");
        }
        assertThat(exchange("GET /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")).startsWith("200 ");
        assertThat(exchange("GET /api/v1/length HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo("200 {\"length\":0}");
        assertThat(exchange("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n{\"a\":\"b\"}"))
                .isEqualTo("200 {\"a\":\"b\"}");
        assertThat(exchange("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\n{\"c\"\r\n5\r\n:\"d\"}\r\n0\r\n\r\n")).isEqualTo("200 {\"c\":\"d\"}");
        assertThat(exchange("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("200 ");
    }

    @Test
    void aBodyOverTheLimitIsRefusedWhateverItsFraming() throws IOException {
        assertThat(exchange("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 18\r\n\r\n{\"a\":\"0123456789\"}"))
                .startsWith("413 ");
        reconnect();
        assertThat(exchange("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "12\r\n{\"a\":\"0123456789\"}\r\n0\r\n\r\n")).startsWith("413 ");
    }

    /** After a 413 the server may close the connection (the rest of the body was not read). */
    private void reconnect() throws IOException {
        socket.close();
        socket = new Socket("127.0.0.1", server.port());
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends {@code request} and answers "status body". */
    private String exchange(String request) throws IOException {
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = line();
        int length = 0;
        for (String header = line(); !header.isEmpty(); header = line()) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(header.substring("content-length:".length()).trim());
            }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return status.split(" ")[1] + " " + body;
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new EOFException("the server closed the connection");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
