package io.otelservices.storage;

/**
 * A found trace, summarised over all of its stored spans (not only the spans that matched).
 *
 * @param traceId lower-case hex
 * @param rootServiceName service of the root span; where no root span is stored, of the earliest span
 * @param rootSpanName name of the same span
 * @param startNanos earliest span start, Unix epoch nanoseconds
 * @param durationNanos latest span end minus earliest span start
 * @param spanCount spans stored for the trace
 * @param errorCount spans with status {@code Error}
 */
public record TraceSummary(
        String traceId,
        String rootServiceName,
        String rootSpanName,
        long startNanos,
        long durationNanos,
        int spanCount,
        int errorCount) {

    public boolean hasError() {
        return errorCount > 0;
    }
}
