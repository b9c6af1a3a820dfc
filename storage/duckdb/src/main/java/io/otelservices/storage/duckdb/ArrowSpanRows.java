package io.otelservices.storage.duckdb;

import static io.otelservices.storage.duckdb.ArrowColumns.attributes;
import static io.otelservices.storage.duckdb.ArrowColumns.bigint;
import static io.otelservices.storage.duckdb.ArrowColumns.integer;
import static io.otelservices.storage.duckdb.ArrowColumns.setString;
import static io.otelservices.storage.duckdb.ArrowColumns.structList;
import static io.otelservices.storage.duckdb.ArrowColumns.varchar;

import io.otelservices.model.Span;
import io.otelservices.model.SpanEvent;
import io.otelservices.model.SpanLink;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Rows of {@code otel_traces} ({@link DuckDbSchema#CREATE_TRACES}) as Arrow vectors. */
final class ArrowSpanRows extends ArrowTableRows {

    static final Schema SCHEMA;

    static {
        List<Field> fields = new ArrayList<>(List.of(bigint("Timestamp"), varchar("TraceId"), varchar("SpanId"),
                varchar("ParentSpanId"), varchar("TraceState"), varchar("SpanName"), varchar("SpanKind"),
                varchar("ServiceName")));
        fields.addAll(ArrowResourceColumns.FIELDS);
        fields.addAll(List.of(attributes("SpanAttributes"), bigint("Duration"), varchar("StatusCode"),
                varchar("StatusMessage"),
                structList("Events", bigint("Timestamp"), varchar("Name"), attributes("Attributes"),
                        integer("DroppedAttributesCount")),
                structList("Links", varchar("TraceId"), varchar("SpanId"), varchar("TraceState"),
                        attributes("Attributes"), integer("Flags"), integer("DroppedAttributesCount")),
                integer("Flags"), integer("DroppedAttributesCount"), integer("DroppedEventsCount"),
                integer("DroppedLinksCount")));
        SCHEMA = new Schema(fields);
    }

    private final BigIntVector timestamp;
    private final VarCharVector traceId;
    private final VarCharVector spanId;
    private final VarCharVector parentSpanId;
    private final VarCharVector traceState;
    private final VarCharVector spanName;
    private final VarCharVector spanKind;
    private final VarCharVector serviceName;
    private final ArrowResourceColumns resourceColumns;
    private final ArrowColumns.AttributesColumn spanAttributes;
    private final BigIntVector duration;
    private final VarCharVector statusCode;
    private final VarCharVector statusMessage;
    private final ListVector events;
    private final StructVector event;
    private final BigIntVector eventTimestamp;
    private final VarCharVector eventName;
    private final ArrowColumns.AttributesColumn eventAttributes;
    private final IntVector eventDroppedAttributesCount;
    private final ListVector links;
    private final StructVector link;
    private final VarCharVector linkTraceId;
    private final VarCharVector linkSpanId;
    private final VarCharVector linkTraceState;
    private final ArrowColumns.AttributesColumn linkAttributes;
    private final IntVector linkFlags;
    private final IntVector linkDroppedAttributesCount;
    private final IntVector flags;
    private final IntVector droppedAttributesCount;
    private final IntVector droppedEventsCount;
    private final IntVector droppedLinksCount;

    ArrowSpanRows(BufferAllocator allocator) {
        super(DuckDbSchema.TRACES, SCHEMA, allocator);
        timestamp = vector("Timestamp");
        traceId = vector("TraceId");
        spanId = vector("SpanId");
        parentSpanId = vector("ParentSpanId");
        traceState = vector("TraceState");
        spanName = vector("SpanName");
        spanKind = vector("SpanKind");
        serviceName = vector("ServiceName");
        resourceColumns = new ArrowResourceColumns(this, false);
        spanAttributes = new ArrowColumns.AttributesColumn(vector("SpanAttributes"));
        duration = vector("Duration");
        statusCode = vector("StatusCode");
        statusMessage = vector("StatusMessage");
        events = vector("Events");
        event = (StructVector) events.getDataVector();
        eventTimestamp = (BigIntVector) event.getChild("Timestamp");
        eventName = (VarCharVector) event.getChild("Name");
        eventAttributes = new ArrowColumns.AttributesColumn(event.getChild("Attributes", MapVector.class));
        eventDroppedAttributesCount = (IntVector) event.getChild("DroppedAttributesCount");
        links = vector("Links");
        link = (StructVector) links.getDataVector();
        linkTraceId = (VarCharVector) link.getChild("TraceId");
        linkSpanId = (VarCharVector) link.getChild("SpanId");
        linkTraceState = (VarCharVector) link.getChild("TraceState");
        linkAttributes = new ArrowColumns.AttributesColumn(link.getChild("Attributes", MapVector.class));
        linkFlags = (IntVector) link.getChild("Flags");
        linkDroppedAttributesCount = (IntVector) link.getChild("DroppedAttributesCount");
        flags = vector("Flags");
        droppedAttributesCount = vector("DroppedAttributesCount");
        droppedEventsCount = vector("DroppedEventsCount");
        droppedLinksCount = vector("DroppedLinksCount");
    }

    void add(Span span) {
        int row = nextRow();
        timestamp.setSafe(row, span.timestampNanos());
        setString(traceId, row, span.traceId());
        setString(spanId, row, span.spanId());
        setString(parentSpanId, row, span.parentSpanId());
        setString(traceState, row, span.traceState());
        setString(spanName, row, span.spanName());
        setString(spanKind, row, span.spanKind());
        setString(serviceName, row, span.serviceName());
        resourceColumns.set(row, span.resource(), span.scope());
        spanAttributes.set(row, span.attributes());
        duration.setSafe(row, span.durationNanos());
        setString(statusCode, row, span.statusCode());
        setString(statusMessage, row, span.statusMessage());
        setEvents(row, span.events());
        setLinks(row, span.links());
        flags.setSafe(row, span.flags());
        droppedAttributesCount.setSafe(row, span.droppedAttributesCount());
        droppedEventsCount.setSafe(row, span.droppedEventsCount());
        droppedLinksCount.setSafe(row, span.droppedLinksCount());
    }

    private void setEvents(int row, List<SpanEvent> spanEvents) {
        int offset = events.startNewValue(row);
        for (int i = 0; i < spanEvents.size(); i++) {
            SpanEvent spanEvent = spanEvents.get(i);
            int element = offset + i;
            eventTimestamp.setSafe(element, spanEvent.timestampNanos());
            setString(eventName, element, spanEvent.name());
            eventAttributes.set(element, spanEvent.attributes());
            eventDroppedAttributesCount.setSafe(element, spanEvent.droppedAttributesCount());
            event.setIndexDefined(element);
        }
        events.endValue(row, spanEvents.size());
    }

    private void setLinks(int row, List<SpanLink> spanLinks) {
        int offset = links.startNewValue(row);
        for (int i = 0; i < spanLinks.size(); i++) {
            SpanLink spanLink = spanLinks.get(i);
            int element = offset + i;
            setString(linkTraceId, element, spanLink.traceId());
            setString(linkSpanId, element, spanLink.spanId());
            setString(linkTraceState, element, spanLink.traceState());
            linkAttributes.set(element, spanLink.attributes());
            linkFlags.setSafe(element, spanLink.flags());
            linkDroppedAttributesCount.setSafe(element, spanLink.droppedAttributesCount());
            link.setIndexDefined(element);
        }
        links.endValue(row, spanLinks.size());
    }
}
