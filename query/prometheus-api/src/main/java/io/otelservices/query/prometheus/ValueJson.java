package io.otelservices.query.prometheus;

import com.fasterxml.jackson.core.JsonGenerator;
import io.otelservices.query.promql.Series;
import io.otelservices.query.promql.Value;
import io.otelservices.query.promql.parser.Numbers;
import java.io.IOException;

/**
 * Query results as Prometheus' API writes them: {@code {"resultType":...,"result":...}} with sample values as
 * strings ({@link Numbers#format}), vector and matrix times as {@link ResponseJson#writeTimestamp} writes them, and
 * scalar and string times as Go writes a float ({@code 1.5}, not {@code 1.500}: Prometheus marshals those through
 * {@code float64(t)/1000}). Stateless and thread-safe.
 */
final class ValueJson {

    private ValueJson() {}

    static void write(JsonGenerator json, Value value) throws IOException {
        json.writeStartObject();
        json.writeStringField("resultType", value.resultType());
        json.writeFieldName("result");
        if (value instanceof Value.Scalar scalar) {
            writePair(json, scalar.timeMillis(), Numbers.format(scalar.value()));
        } else if (value instanceof Value.StringValue string) {
            writePair(json, string.timeMillis(), string.value());
        } else if (value instanceof Value.Vector vector) {
            writeVector(json, vector);
        } else if (value instanceof Value.Matrix matrix) {
            writeMatrix(json, matrix);
        }
        json.writeEndObject();
    }

    private static void writePair(JsonGenerator json, long timeMillis, String value) throws IOException {
        json.writeStartArray();
        json.writeNumber(Numbers.format(timeMillis / 1000.0));
        json.writeString(value);
        json.writeEndArray();
    }

    private static void writeVector(JsonGenerator json, Value.Vector vector) throws IOException {
        json.writeStartArray();
        for (Value.Sample sample : vector.samples()) {
            json.writeStartObject();
            json.writeFieldName("metric");
            ResponseJson.writeLabels(json, sample.labels());
            json.writeFieldName("value");
            writeSample(json, sample.timeMillis(), sample.value());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void writeMatrix(JsonGenerator json, Value.Matrix matrix) throws IOException {
        json.writeStartArray();
        for (Series series : matrix.series()) {
            json.writeStartObject();
            json.writeFieldName("metric");
            ResponseJson.writeLabels(json, series.labels());
            json.writeArrayFieldStart("values");
            for (int i = 0; i < series.size(); i++) {
                writeSample(json, series.timestampMillis(i), series.value(i));
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void writeSample(JsonGenerator json, long timeMillis, double value) throws IOException {
        json.writeStartArray();
        ResponseJson.writeTimestamp(json, timeMillis);
        json.writeString(Numbers.format(value));
        json.writeEndArray();
    }
}
