package io.otelservices.storage.duckdb;

import io.otelservices.model.Exemplar;
import io.otelservices.model.InstrumentationScope;
import io.otelservices.model.LogRecord;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricValue;
import io.otelservices.model.Resource;
import io.otelservices.model.Span;
import io.otelservices.model.SpanEvent;
import io.otelservices.model.SpanLink;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.duckdb.DuckDBAppender;

/**
 * Appends model objects as rows of the tables of {@link DuckDbSchema}, column by column in table order. The
 * appender fills DuckDB data chunks directly, which is what makes it ~40× faster than {@code INSERT} statements
 * (DESIGN.md §4).
 */
final class DuckDbRowWriter {

    private DuckDbRowWriter() {}

    static void appendSpan(DuckDBAppender appender, Span span) throws SQLException {
        appender.beginRow();
        appender.append(span.timestampNanos());
        appender.append(span.traceId());
        appender.append(span.spanId());
        appender.append(span.parentSpanId());
        appender.append(span.traceState());
        appender.append(span.spanName());
        appender.append(span.spanKind());
        appender.append(span.serviceName());
        appendResourceAndScope(appender, span.resource(), span.scope(), false);
        appender.append(span.attributes());
        appender.append(span.durationNanos());
        appender.append(span.statusCode());
        appender.append(span.statusMessage());
        appender.append(events(span.events()));
        appender.append(links(span.links()));
        appender.append(span.flags());
        appender.append(span.droppedAttributesCount());
        appender.append(span.droppedEventsCount());
        appender.append(span.droppedLinksCount());
        appender.endRow();
    }

    static void appendLog(DuckDBAppender appender, LogRecord log) throws SQLException {
        appender.beginRow();
        appender.append(log.timestampNanos());
        appender.append(log.observedTimestampNanos());
        appender.append(log.traceId());
        appender.append(log.spanId());
        appender.append(log.traceFlags());
        appender.append(log.severityText());
        appender.append(log.severityNumber());
        appender.append(log.serviceName());
        appender.append(log.body());
        appendResourceAndScope(appender, log.resource(), log.scope(), false);
        appender.append(log.attributes());
        appender.append(log.droppedAttributesCount());
        appender.append(log.eventName());
        appender.endRow();
    }

    /** Appends {@code point} to the appender of its type's table. */
    static void appendMetricPoint(DuckDBAppender appender, MetricPoint point) throws SQLException {
        appender.beginRow();
        // Series identity is compared in SQL, and DuckDB MAP equality depends on entry order: sort identity maps.
        appendResourceAndScope(appender, point.resource(), point.scope(), true);
        appender.append(point.serviceName());
        appender.append(point.metricName());
        appender.append(point.metricDescription());
        appender.append(point.metricUnit());
        appender.append(point.metricMetadata());
        appender.append(sorted(point.attributes()));
        appender.append(point.startTimeNanos());
        appender.append(point.timeNanos());
        appender.append(point.flags());
        appender.append(exemplars(point.exemplars()));
        appendValue(appender, point.value());
        appender.endRow();
    }

    private static void appendValue(DuckDBAppender appender, MetricValue value) throws SQLException {
        if (value instanceof MetricValue.Gauge gauge) {
            appender.append(gauge.value());
        } else if (value instanceof MetricValue.Sum sum) {
            appender.append(sum.value());
            appender.append(sum.temporality().number());
            appender.append(sum.monotonic());
        } else if (value instanceof MetricValue.Histogram histogram) {
            appender.append(histogram.count());
            appender.append(histogram.sum());
            appender.append(histogram.bucketCounts());
            appender.append(histogram.explicitBounds());
            appender.append(histogram.min());
            appender.append(histogram.max());
            appender.append(histogram.temporality().number());
        } else if (value instanceof MetricValue.ExponentialHistogram histogram) {
            appender.append(histogram.count());
            appender.append(histogram.sum());
            appender.append(histogram.scale());
            appender.append(histogram.zeroCount());
            appender.append(histogram.zeroThreshold());
            appender.append(histogram.positiveOffset());
            appender.append(histogram.positiveBucketCounts());
            appender.append(histogram.negativeOffset());
            appender.append(histogram.negativeBucketCounts());
            appender.append(histogram.min());
            appender.append(histogram.max());
            appender.append(histogram.temporality().number());
        } else if (value instanceof MetricValue.Summary summary) {
            appender.append(summary.count());
            appender.append(summary.sum());
            List<List<Object>> quantiles = new ArrayList<>(summary.quantiles().size());
            for (MetricValue.ValueAtQuantile quantile : summary.quantiles()) {
                quantiles.add(Arrays.asList(quantile.quantile(), quantile.value()));
            }
            appender.append(quantiles);
        } else {
            throw new IllegalArgumentException("value: " + value.getClass().getName()
                    + " (expected: one of the MetricValue types)");
        }
    }

    private static void appendResourceAndScope(
            DuckDBAppender appender, Resource resource, InstrumentationScope scope, boolean sortAttributes)
            throws SQLException {
        appender.append(sortAttributes ? sorted(resource.attributes()) : resource.attributes());
        appender.append(resource.droppedAttributesCount());
        appender.append(resource.schemaUrl());
        appender.append(scope.name());
        appender.append(scope.version());
        appender.append(scope.attributes());
        appender.append(scope.droppedAttributesCount());
        appender.append(scope.schemaUrl());
    }

    // Struct values are lists of their field values in declaration order (the appender's composite form).
    private static List<List<Object>> events(List<SpanEvent> events) {
        List<List<Object>> rows = new ArrayList<>(events.size());
        for (SpanEvent event : events) {
            rows.add(Arrays.asList(
                    event.timestampNanos(), event.name(), event.attributes(), event.droppedAttributesCount()));
        }
        return rows;
    }

    private static List<List<Object>> links(List<SpanLink> links) {
        List<List<Object>> rows = new ArrayList<>(links.size());
        for (SpanLink link : links) {
            rows.add(Arrays.asList(link.traceId(), link.spanId(), link.traceState(), link.attributes(),
                    link.flags(), link.droppedAttributesCount()));
        }
        return rows;
    }

    private static List<List<Object>> exemplars(List<Exemplar> exemplars) {
        List<List<Object>> rows = new ArrayList<>(exemplars.size());
        for (Exemplar exemplar : exemplars) {
            rows.add(Arrays.asList(exemplar.filteredAttributes(), exemplar.timestampNanos(), exemplar.value(),
                    exemplar.spanId(), exemplar.traceId()));
        }
        return rows;
    }

    private static Map<String, String> sorted(Map<String, String> attributes) {
        return attributes.size() < 2 ? attributes : new TreeMap<>(attributes);
    }
}
