package io.otelservices.storage.memory;

import static java.util.Objects.requireNonNull;

import io.otelservices.model.LogRecord;
import io.otelservices.storage.CodePointOrder;
import io.otelservices.storage.AttributeFilter;
import io.otelservices.storage.LogCursor;
import io.otelservices.storage.LogPage;
import io.otelservices.storage.LogQuery;
import io.otelservices.storage.LogReader;
import io.otelservices.storage.SeverityCount;
import io.otelservices.storage.TimeRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** The {@link LogReader} of {@link InMemoryStorage}: full scans under the storage's read lock. */
final class InMemoryLogReader implements LogReader {

    private final InMemoryStorage storage;

    InMemoryLogReader(InMemoryStorage storage) {
        this.storage = storage;
    }

    @Override
    public CompletableFuture<LogPage> findLogs(LogQuery query) {
        requireNonNull(query, "query");
        String search = query.searchText() == null ? null : query.searchText().toLowerCase(Locale.ROOT);
        return storage.read(() -> {
            LogCursor after = query.after();
            List<LogRecord> matching = new ArrayList<>();
            for (LogRecord record : storage.logRecords()) {
                if (matches(record, query, search)
                        && (after == null || record.timestampNanos() <= after.timestampNanos())) {
                    matching.add(record);
                }
            }
            matching.sort(LogQuery.NEWEST_FIRST);
            // The records at the cursor's timestamp come first (newest first), so skipping them is an offset.
            int from = after == null ? 0 : Math.min(after.skipAtTimestamp(), matching.size());
            int to = (int) Math.min((long) from + query.limit(), matching.size());
            List<LogRecord> page = matching.subList(from, to);
            LogCursor next = null;
            if (to < matching.size()) {
                next = nextCursor(page, after);
            }
            return new LogPage(page, next);
        });
    }

    @Override
    public CompletableFuture<List<SeverityCount>> severityCounts(TimeRange range) {
        requireNonNull(range, "range");
        return storage.read(() -> {
            Map<String, TreeMap<Integer, Long>> counts = new TreeMap<>(CodePointOrder.INSTANCE);
            for (LogRecord record : storage.logRecords()) {
                if (range.contains(record.timestampNanos())) {
                    counts.computeIfAbsent(record.serviceName(), name -> new TreeMap<>())
                            .merge(record.severityNumber(), 1L, Long::sum);
                }
            }
            List<SeverityCount> result = new ArrayList<>();
            for (Map.Entry<String, TreeMap<Integer, Long>> service : counts.entrySet()) {
                for (Map.Entry<Integer, Long> severity : service.getValue().entrySet()) {
                    result.add(new SeverityCount(service.getKey(), severity.getKey(), severity.getValue()));
                }
            }
            return result;
        });
    }

    /**
     * The cursor after the last record of {@code page}: its timestamp, and how many records at that timestamp this
     * page and the earlier ones returned.
     */
    static LogCursor nextCursor(List<LogRecord> page, LogCursor after) {
        long last = page.get(page.size() - 1).timestampNanos();
        int atLast = 0;
        for (int i = page.size() - 1; i >= 0 && page.get(i).timestampNanos() == last; i--) {
            atLast++;
        }
        if (after != null && after.timestampNanos() == last) {
            atLast += after.skipAtTimestamp();
        }
        return new LogCursor(last, atLast);
    }

    private static boolean matches(LogRecord record, LogQuery query, String lowerCaseSearch) {
        if (!query.range().contains(record.timestampNanos())) {
            return false;
        }
        if (query.serviceName() != null && !query.serviceName().equals(record.serviceName())) {
            return false;
        }
        if (query.minSeverityNumber() > 0 && record.severityNumber() < query.minSeverityNumber()) {
            return false;
        }
        if (query.traceId() != null && !query.traceId().equals(record.traceId())) {
            return false;
        }
        if (lowerCaseSearch != null && !record.body().toLowerCase(Locale.ROOT).contains(lowerCaseSearch)) {
            return false;
        }
        for (AttributeFilter filter : query.attributes()) {
            if (!filter.value().equals(record.attributes().get(filter.key()))
                    && !filter.value().equals(record.resource().attributes().get(filter.key()))) {
                return false;
            }
        }
        return true;
    }
}
