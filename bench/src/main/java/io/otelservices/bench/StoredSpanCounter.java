package io.otelservices.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Counts the spans our query API holds: the sum of {@code span_count} over {@code GET /api/v1/services/stats}, for
 * the last 7 days and the next hour (the generator's timestamps lie a few minutes in the past).
 */
final class StoredSpanCounter {

    private final String queryBase;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    StoredSpanCounter(String queryBase) {
        this.queryBase = queryBase.endsWith("/") ? queryBase.substring(0, queryBase.length() - 1) : queryBase;
    }

    long count() throws IOException, InterruptedException {
        Instant now = Instant.now();
        String url = queryBase + "/api/v1/services/stats?start_time=" + now.minus(Duration.ofDays(7))
                + "&end_time=" + now.plus(Duration.ofHours(1));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        long total = 0;
        for (JsonNode service : json.readTree(response.body()).path("services")) {
            total += service.path("span_count").asLong();
        }
        return total;
    }
}
