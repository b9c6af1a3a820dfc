package io.otelservices.ingest.prometheus;

import io.otelservices.model.Exemplar;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A remote-write exemplar as a model {@link Exemplar}: the labels {@code trace_id} (32 hex digits) and
 * {@code span_id} (16 hex digits) are its ids, lower-cased; every other label, and an id label that is not such an
 * id, is a filtered attribute (OpenTelemetry specification, Prometheus exemplars to OTLP).
 */
final class ExemplarLabels {

    private static final String TRACE_ID = "trace_id";
    private static final String SPAN_ID = "span_id";
    private static final int TRACE_ID_HEX = 32;
    private static final int SPAN_ID_HEX = 16;

    private ExemplarLabels() {}

    /** The exemplar, or {@code null} when a label is not UTF-8 or the timestamp is out of range. */
    static Exemplar exemplar(DecodedSeries.Exemplar sent) {
        long timestamp = sent.timestampMillis();
        if (timestamp < 0 || timestamp > WriteRequestConverter.MAX_TIMESTAMP_MILLIS) {
            return null;
        }
        String traceId = "";
        String spanId = "";
        Map<String, String> attributes = new HashMap<>(4);
        for (int i = 0; i < sent.labelNames().length; i++) {
            String name = sent.labelNames()[i];
            String value = sent.labelValues()[i];
            if (name == null || value == null) {
                return null;
            }
            if (name.isEmpty() || value.isEmpty()) {
                continue;
            }
            if (name.equals(TRACE_ID) && isId(value, TRACE_ID_HEX)) {
                traceId = value.toLowerCase(Locale.ROOT);
            } else if (name.equals(SPAN_ID) && isId(value, SPAN_ID_HEX)) {
                spanId = value.toLowerCase(Locale.ROOT);
            } else {
                attributes.put(name, value);
            }
        }
        return new Exemplar(timestamp * 1_000_000, sent.value(), traceId, spanId, attributes);
    }

    /**
     * Whether {@code text} is an id of {@code length} ASCII hex digits, not all zero (OTLP's invalid id, which the
     * write-ahead log's OTLP encoding could not tell from none).
     */
    static boolean isId(String text, int length) {
        if (text.length() != length) {
            return false;
        }
        boolean nonZero = false;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return false;
            }
            nonZero |= c != '0';
        }
        return nonZero;
    }
}
