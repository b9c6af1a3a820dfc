package io.otelservices.storage;

import io.otelservices.model.LogRecord;
import java.util.List;

/**
 * One page of a log search.
 *
 * @param records newest first
 * @param next where the next page starts, or {@code null} when this page is the last
 */
public record LogPage(List<LogRecord> records, LogCursor next) {
    public LogPage {
        records = List.copyOf(records);
    }
}
