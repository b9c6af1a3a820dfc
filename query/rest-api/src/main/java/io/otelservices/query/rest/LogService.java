package io.otelservices.query.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.otelservices.model.LogRecord;
import io.otelservices.model.Severity;
import io.otelservices.storage.LogCursor;
import io.otelservices.storage.LogPage;
import io.otelservices.storage.LogQuery;
import io.otelservices.storage.LogReader;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/** {@code POST /api/v1/logs}: one page of a log search through the {@link LogReader}. */
final class LogService {

    static final List<String> FIELDS = List.of("service_name", "start_time", "end_time", "severity", "search_text",
            "trace_id", "attributes", "limit", "cursor");
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private static final String SEVERITY_EXPECTED =
            "one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL (any case) or a severity number in 1..24";

    private final LogReader logs;
    private final Clock clock;

    LogService(LogReader logs, Clock clock) {
        this.logs = logs;
        this.clock = clock;
    }

    CompletableFuture<byte[]> search(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        LogQuery query = parse(RequestFields.ofJsonBody(request.content().array(), FIELDS), clock);
        return logs.findLogs(query).thenApplyAsync(LogService::render, ctx.blockingTaskExecutor());
    }

    static LogQuery parse(RequestFields fields, Clock clock) {
        String serviceName = fields.nonEmptyString("service_name");
        int minSeverity = severityNumber(fields.raw("severity"));
        String searchText = fields.nonEmptyString("search_text");
        String traceId = fields.traceId("trace_id");
        String cursorText = fields.nonEmptyString("cursor");
        LogCursor cursor = cursorText == null ? null : LogCursorCodec.decode("cursor", cursorText);
        return new LogQuery(fields.timeRange(clock), serviceName, minSeverity, searchText, traceId,
                fields.attributes("attributes"), fields.integer("limit", 1, MAX_LIMIT, DEFAULT_LIMIT), cursor);
    }

    /** The lowest severity number to return: a range name's lowest number, or the number itself; 0 for any. */
    static int severityNumber(JsonNode severity) {
        if (severity == null) {
            return 0;
        }
        if (severity.isIntegralNumber()) {
            if (severity.canConvertToInt() && severity.intValue() >= 1 && severity.intValue() <= 24) {
                return severity.intValue();
            }
        } else if (severity.isTextual() && !severity.textValue().isEmpty()) {
            String text = severity.textValue().toUpperCase(Locale.ROOT);
            try {
                Severity named = Severity.valueOf(text);
                if (named != Severity.UNSPECIFIED) {
                    return named.lowestNumber();
                }
            } catch (IllegalArgumentException notAName) {
                try {
                    int number = Integer.parseInt(text);
                    if (number >= 1 && number <= 24) {
                        return number;
                    }
                } catch (NumberFormatException notANumber) {
                    // answered below
                }
            }
        } else if (severity.isTextual()) {
            return 0;
        }
        throw ApiException.badRequest("severity", RequestFields.shown(severity), SEVERITY_EXPECTED);
    }

    static byte[] render(LogPage page) {
        JsonOutput out = new JsonOutput();
        out.startObject();
        out.startArray("logs");
        for (LogRecord record : page.records()) {
            out.startObject();
            out.time("timestamp", record.timestampNanos());
            out.nanos("timestamp_unix_nano", record.timestampNanos());
            out.timeOrNull("observed_timestamp", record.observedTimestampNanos());
            out.string("trace_id", record.traceId());
            out.string("span_id", record.spanId());
            out.number("trace_flags", record.traceFlags());
            out.string("severity_text", record.severityText());
            out.number("severity_number", record.severityNumber());
            out.string("service_name", record.serviceName());
            out.string("body", record.body());
            out.stringMap("attributes", record.attributes());
            out.number("dropped_attributes_count", record.droppedAttributesCount());
            out.string("event_name", record.eventName());
            out.resource(record.resource());
            out.scope(record.scope());
            out.endObject();
        }
        out.endArray();
        out.nullableString("next_cursor", page.next() == null ? null : LogCursorCodec.encode(page.next()));
        out.endObject();
        return out.toBytes();
    }
}
