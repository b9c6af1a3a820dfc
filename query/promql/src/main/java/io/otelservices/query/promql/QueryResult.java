package io.otelservices.query.promql;

import java.util.List;
import java.util.Objects;

/**
 * What a query gave: its value and the annotations Prometheus returns beside it.
 *
 * @param warnings annotations that may make the result wrong (the API's {@code warnings})
 * @param infos annotations that only inform (the API's {@code infos})
 * @param samplesRead samples the query read from storage
 */
public record QueryResult(Value value, List<String> warnings, List<String> infos, long samplesRead) {
    public QueryResult {
        Objects.requireNonNull(value, "value");
        warnings = List.copyOf(warnings);
        infos = List.copyOf(infos);
    }
}
