package org.projectbeacon.example.ipfs;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A real IPFS HTTP API ({@code POST /api/v0/cat?arg=<cid>}), for runners configured with one. */
public final class HttpIpfs implements BundleStore {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI api;

    /** A store over the API at {@code api}, such as {@code http://127.0.0.1:5001}. */
    public HttpIpfs(URI api) {
        this.api = api;
    }

    @Override
    public byte[] fetch(String cid) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(api.resolve("/api/v0/cat?arg=" + URLEncoder.encode(cid, StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IOException("IPFS cat " + cid + " answered HTTP " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + cid);
        }
    }
}
