package io.otelservices.storage.duckdb;

import static java.util.Objects.requireNonNull;

import io.otelservices.model.LogRecord;
import io.otelservices.storage.LogCursor;
import io.otelservices.storage.LogPage;
import io.otelservices.storage.LogQuery;
import io.otelservices.storage.LogReader;
import io.otelservices.storage.SeverityCount;
import io.otelservices.storage.TimeRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
        TimeRange range = query.range();
        if (after != null && after.timestampNanos() < range.endNanos() - 1) {
            range = new TimeRange(range.startNanos(), Math.max(range.startNanos(), after.timestampNanos() + 1));
        }
        TimeRange blocksRange = range;
        int skip = after == null ? 0 : after.skipAtTimestamp();
        return pool.submit("find logs", connection -> {
            NewestRecords newest = new NewestRecords(where, skip + query.limit() + 1);
            NewestFirstScan.run(connection, sources, StoredTable.LOGS, blocksRange, newest);
            List<LogRecord> records = newest.records();
            records = records.subList(Math.min(skip, records.size()), records.size());
            if (records.size() <= query.limit()) {
                return new LogPage(List.copyOf(records), null);
            }
            List<LogRecord> page = List.copyOf(records.subList(0, query.limit()));
            return new LogPage(page, nextCursor(page, after));
        });
    }

    /** The running answer of a log search: the newest {@code wanted} records of the steps read so far, in order. */
    private static final class NewestRecords implements NewestFirstScan.Step {

        private final SqlWhere where;
        private final int wanted;
        private final List<LogRecord> records = new ArrayList<>();

        NewestRecords(SqlWhere where, int wanted) {
            this.where = where;
            this.wanted = wanted;
        }

        @Override
        public void read(Connection connection, String relation) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement("SELECT * FROM " + relation + where
                    + " ORDER BY Timestamp DESC, ServiceName, TraceId, SpanId, Body LIMIT ?")) {
                statement.setLong(where.bind(statement, 1), wanted);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        records.add(DuckDbRowReader.log(rs));
                    }
                }
            }
            records.sort(LogQuery.NEWEST_FIRST);
            if (records.size() > wanted) {
                records.subList(wanted, records.size()).clear();
            }
        }

        @Override
        public boolean completeBefore(long newestRemaining) {
            // Strictly newer: a remaining record as new as the last one could still sort before it.
            return records.size() == wanted && records.get(wanted - 1).timestampNanos() > newestRemaining;
        }

        List<LogRecord> records() {
            return records;
        }
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
