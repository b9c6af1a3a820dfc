package io.otelservices.storage.duckdb;

import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.Exemplar;
import io.otelservices.model.InstrumentationScope;
import io.otelservices.model.LogRecord;
import io.otelservices.model.MetricType;
import io.otelservices.model.MetricValue;
import io.otelservices.model.Resource;
import io.otelservices.model.Span;
import io.otelservices.model.SpanEvent;
import io.otelservices.model.SpanLink;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBStruct;

/**
 * Turns result rows of the tables of {@link DuckDbSchema} back into model objects; the inverse of
 * {@link DuckDbRowWriter}. Reads columns by name, so queries may select them in any order.
 */
final class DuckDbRowReader {

    private DuckDbRowReader() {}

    static Span span(ResultSet rs) throws SQLException {
        return new Span(
                rs.getLong("Timestamp"),
                rs.getString("TraceId"),
                rs.getString("SpanId"),
                rs.getString("ParentSpanId"),
                rs.getString("TraceState"),
                rs.getInt("Flags"),
                rs.getString("SpanName"),
                rs.getString("SpanKind"),
                rs.getString("ServiceName"),
                resource(rs),
                scope(rs),
                attributes(rs.getObject("SpanAttributes")),
                rs.getInt("DroppedAttributesCount"),
                rs.getLong("Duration"),
                rs.getString("StatusCode"),
                rs.getString("StatusMessage"),
                events(rs.getArray("Events")),
                rs.getInt("DroppedEventsCount"),
                links(rs.getArray("Links")),
                rs.getInt("DroppedLinksCount"));
    }

    static LogRecord log(ResultSet rs) throws SQLException {
        return new LogRecord(
                rs.getLong("Timestamp"),
                rs.getLong("ObservedTimestamp"),
                rs.getString("TraceId"),
                rs.getString("SpanId"),
                rs.getInt("TraceFlags"),
                rs.getString("SeverityText"),
                rs.getInt("SeverityNumber"),
                rs.getString("ServiceName"),
                rs.getString("Body"),
                resource(rs),
                scope(rs),
                attributes(rs.getObject("LogAttributes")),
                rs.getInt("DroppedAttributesCount"),
                rs.getString("EventName"));
    }

    static Resource resource(ResultSet rs) throws SQLException {
        return new Resource(attributes(rs.getObject("ResourceAttributes")),
                rs.getInt("ResourceDroppedAttributesCount"), rs.getString("ResourceSchemaUrl"));
    }

    static InstrumentationScope scope(ResultSet rs) throws SQLException {
        return new InstrumentationScope(rs.getString("ScopeName"), rs.getString("ScopeVersion"),
                attributes(rs.getObject("ScopeAttributes")), rs.getInt("ScopeDroppedAttributesCount"),
                rs.getString("ScopeSchemaUrl"));
    }

    /** The value columns of a row of {@code type}'s table. */
    /**
     * The value of a metric row whose value columns start at {@code first}, in the order of
     * {@link #metricValueColumns(MetricType)}. By index: the driver looks labels up by a case-insensitive linear
     * search, a third of the time of a large series selection.
     */
    static MetricValue metricValue(MetricType type, ResultSet rs, int first) throws SQLException {
        return switch (type) {
            case GAUGE -> new MetricValue.Gauge(rs.getDouble(first));
            case SUM -> new MetricValue.Sum(rs.getDouble(first), temporality(rs, first + 1), rs.getBoolean(first + 2));
            case HISTOGRAM -> new MetricValue.Histogram(rs.getLong(first), rs.getDouble(first + 1),
                    longs(rs.getArray(first + 2)), doubles(rs.getArray(first + 3)), rs.getDouble(first + 4),
                    rs.getDouble(first + 5), temporality(rs, first + 6));
            case EXPONENTIAL_HISTOGRAM -> new MetricValue.ExponentialHistogram(rs.getLong(first),
                    rs.getDouble(first + 1), rs.getInt(first + 2), rs.getLong(first + 3), rs.getDouble(first + 4),
                    rs.getInt(first + 5), longs(rs.getArray(first + 6)), rs.getInt(first + 7),
                    longs(rs.getArray(first + 8)), rs.getDouble(first + 9), rs.getDouble(first + 10),
                    temporality(rs, first + 11));
            case SUMMARY -> new MetricValue.Summary(rs.getLong(first), rs.getDouble(first + 1),
                    quantiles(rs.getArray(first + 2)));
        };
    }

    /** The value columns {@link #metricValue} reads, in its order. */
    static String metricValueColumns(MetricType type) {
        return switch (type) {
            case GAUGE -> "Value";
            case SUM -> "Value, AggregationTemporality, IsMonotonic";
            case HISTOGRAM -> "Count, Sum, BucketCounts, ExplicitBounds, Min, Max, AggregationTemporality";
            case EXPONENTIAL_HISTOGRAM -> "Count, Sum, Scale, ZeroCount, ZeroThreshold, PositiveOffset, "
                    + "PositiveBucketCounts, NegativeOffset, NegativeBucketCounts, Min, Max, AggregationTemporality";
            case SUMMARY -> "Count, Sum, ValueAtQuantiles";
        };
    }

    static List<Exemplar> exemplars(Array array) throws SQLException {
        Object[] elements = elements(array);
        List<Exemplar> exemplars = new ArrayList<>(elements.length);
        for (Object element : elements) {
            Map<String, Object> fields = fields(element);
            exemplars.add(new Exemplar(
                    (Long) fields.get("TimeUnix"),
                    (Double) fields.get("Value"),
                    (String) fields.get("TraceId"),
                    (String) fields.get("SpanId"),
                    attributes(fields.get("FilteredAttributes"))));
        }
        return exemplars;
    }

    /** A {@code MAP(VARCHAR, VARCHAR)} value as the driver returns it. */
    @SuppressWarnings("unchecked")
    static Map<String, String> attributes(Object map) {
        if (map == null) {
            return Map.of();
        }
        return (Map<String, String>) map;
    }

    private static AggregationTemporality temporality(ResultSet rs, int column) throws SQLException {
        return AggregationTemporality.ofNumber(rs.getInt(column));
    }

    private static List<SpanEvent> events(Array array) throws SQLException {
        Object[] elements = elements(array);
        List<SpanEvent> events = new ArrayList<>(elements.length);
        for (Object element : elements) {
            Map<String, Object> fields = fields(element);
            events.add(new SpanEvent((Long) fields.get("Timestamp"), (String) fields.get("Name"),
                    attributes(fields.get("Attributes")), (Integer) fields.get("DroppedAttributesCount")));
        }
        return events;
    }

    private static List<SpanLink> links(Array array) throws SQLException {
        Object[] elements = elements(array);
        List<SpanLink> links = new ArrayList<>(elements.length);
        for (Object element : elements) {
            Map<String, Object> fields = fields(element);
            links.add(new SpanLink((String) fields.get("TraceId"), (String) fields.get("SpanId"),
                    (String) fields.get("TraceState"), (Integer) fields.get("Flags"),
                    attributes(fields.get("Attributes")), (Integer) fields.get("DroppedAttributesCount")));
        }
        return links;
    }

    private static List<MetricValue.ValueAtQuantile> quantiles(Array array) throws SQLException {
        Object[] elements = elements(array);
        List<MetricValue.ValueAtQuantile> quantiles = new ArrayList<>(elements.length);
        for (Object element : elements) {
            Map<String, Object> fields = fields(element);
            quantiles.add(new MetricValue.ValueAtQuantile((Double) fields.get("Quantile"),
                    (Double) fields.get("Value")));
        }
        return quantiles;
    }

    static long[] longs(Array array) throws SQLException {
        Object[] elements = elements(array);
        long[] values = new long[elements.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (Long) elements[i];
        }
        return values;
    }

    static double[] doubles(Array array) throws SQLException {
        Object[] elements = elements(array);
        double[] values = new double[elements.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (Double) elements[i];
        }
        return values;
    }

    private static Object[] elements(Array array) throws SQLException {
        return array == null ? new Object[0] : (Object[]) array.getArray();
    }

    private static Map<String, Object> fields(Object struct) throws SQLException {
        if (struct instanceof DuckDBStruct duckDbStruct) {
            return duckDbStruct.getMap();
        }
        throw new SQLException("struct: " + (struct == null ? "null" : struct.getClass().getName())
                + " (expected: DuckDBStruct)");
    }
}
