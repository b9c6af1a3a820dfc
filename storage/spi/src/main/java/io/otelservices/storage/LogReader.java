package io.otelservices.storage;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Reads log records. Thread-safe. */
public interface LogReader {

    /** One page of records matching {@code query}. */
    CompletableFuture<LogPage> findLogs(LogQuery query);

    /** Record counts per service and severity number for records in {@code range}, sorted by service, severity. */
    CompletableFuture<List<SeverityCount>> severityCounts(TimeRange range);
}
