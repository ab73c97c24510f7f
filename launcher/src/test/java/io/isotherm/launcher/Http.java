package io.isotherm.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Small HTTP helpers for the launcher's tests, which talk to a real server on a real port. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a one-click batch for the page https://shop.example/ and returns the response. */
    static HttpResponse<String> collectOneClick(int port, String siteKey) throws Exception {
        long now = Instant.now().toEpochMilli();
        String body = """
                {"site":"%s","pageview":"%s","seq":0,"sentAt":%d,"url":"https://shop.example/",
                 "viewport":{"width":1280,"height":720},"document":{"width":1280,"height":2400},
                 "events":[{"kind":"click","t":%d,"x":100,"y":200,"selector":"#buy","boxX":0.5,"boxY":0.5,"interactive":true}]}
                """.formatted(siteKey, UUID.randomUUID(), now, now);
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/collect"))
                        .header("Content-Type", "text/plain")
                        .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36")
                        .header("Origin", "https://shop.example")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Http() {
    }
}
