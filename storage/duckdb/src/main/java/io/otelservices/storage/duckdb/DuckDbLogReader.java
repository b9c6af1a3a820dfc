package io.otelservices.storage.duckdb;

import static java.util.Objects.requireNonNull;

import io.otelservices.model.LogRecord;
import io.otelservices.storage.LogCursor;
import io.otelservices.storage.LogPage;
import io.otelservices.storage.LogQuery;
import io.otelservices.storage.LogReader;
import io.otelservices.storage.SeverityCount;
import io.otelservices.storage.TimeRange;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Reads {@code otel_logs}; every filter, the order and the page bounds run in SQL. */
final class DuckDbLogReader implements LogReader {

    private final DuckDbReadPool pool;
    private final TableSources sources;

    DuckDbLogReader(DuckDbReadPool pool, TableSources sources) {
        this.pool = pool;
        this.sources = sources;
    }

    @Override
    public CompletableFuture<LogPage> findLogs(LogQuery query) {
        requireNonNull(query, "query");
        LogCursor after = query.after();
        SqlWhere where = new SqlWhere()
                .andWithin("Timestamp", query.range())
                .andIfPresent("Timestamp <= ?", after == null ? null : after.timestampNanos())
                .andIfPresent("ServiceName = ?", query.serviceName())
                .andIfPresent("SeverityNumber >= ?", query.minSeverityNumber() > 0 ? query.minSeverityNumber() : null)
                .andIfPresent("TraceId = ?", query.traceId())
                // contains() takes the text literally, so % and _ in the search need no escaping (unlike ILIKE).
                .andIfPresent("contains(lower(Body), lower(?))", query.searchText())
                .andAttributes("LogAttributes", query.attributes());
        // The records at the cursor's timestamp come first in this order, so skipping them is an OFFSET.
        // One row more than the page tells whether another page follows.
        String order = " ORDER BY Timestamp DESC, ServiceName, TraceId, SpanId, Body LIMIT ? OFFSET ?";
        TimeRange range = query.range();
        if (after != null && after.timestampNanos() < range.endNanos() - 1) {
            range = new TimeRange(range.startNanos(), Math.max(range.startNanos(), after.timestampNanos() + 1));
        }
        TimeRange blocksRange = range;
        return pool.submit("find logs", connection -> {
            String sql = "SELECT * FROM " + sources.relation(connection, StoredTable.LOGS, blocksRange) + where + order;
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int next = where.bind(statement, 1);
                statement.setLong(next++, query.limit() + 1L);
                statement.setLong(next, after == null ? 0 : after.skipAtTimestamp());
                List<LogRecord> records = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        records.add(DuckDbRowReader.log(rs));
                    }
                }
                if (records.size() <= query.limit()) {
                    return new LogPage(records, null);
                }
                List<LogRecord> page = records.subList(0, query.limit());
                return new LogPage(page, nextCursor(page, after));
            }
        });
    }

    @Override
    public CompletableFuture<List<SeverityCount>> severityCounts(TimeRange range) {
        requireNonNull(range, "range");
        SqlWhere where = new SqlWhere().andWithin("Timestamp", range);
        return pool.submit("count logs by severity", connection -> {
            String sql = "SELECT ServiceName, SeverityNumber, count(*) AS Records FROM "
                    + sources.relation(connection, StoredTable.LOGS, range) + where
                    + " GROUP BY ServiceName, SeverityNumber ORDER BY ServiceName, SeverityNumber";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                where.bind(statement, 1);
                List<SeverityCount> counts = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        counts.add(new SeverityCount(rs.getString("ServiceName"), rs.getInt("SeverityNumber"),
                                rs.getLong("Records")));
                    }
                }
                return counts;
            }
        });
    }

    /**
     * The cursor after the last record of {@code page}: its timestamp, and how many records at that timestamp this
     * page and the earlier ones returned.
     */
    private static LogCursor nextCursor(List<LogRecord> page, LogCursor after) {
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
}
