package io.otelservices.ingest.testing;

import io.otelservices.ingest.TelemetryItems;
import io.otelservices.model.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Model items made directly, for tests below the receivers. */
public final class ModelItems {

    private ModelItems() {}

    /** {@code count} spans named {@code prefix-0}, {@code prefix-1}, ... */
    public static TelemetryItems spans(String prefix, int count) {
        List<Span> spans = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            spans.add(new Span(1_700_000_000_000_000_000L + i, "0af7651916cd43dd8448eb211c80319c",
                    String.format("%016x", i + 1L), "", "", 1, prefix + "-" + i, Span.SpanKind.SERVER, "svc", null,
                    null, Map.of(), 0, 10, Span.StatusCode.UNSET, "", List.of(), 0, List.of(), 0));
        }
        return new TelemetryItems(spans, List.of(), List.of());
    }
}
