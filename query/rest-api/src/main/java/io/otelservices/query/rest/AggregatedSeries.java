package io.otelservices.query.rest;

import java.util.Map;

/**
 * One output series of a metric query: the group's labels and the buckets that have data.
 *
 * @param labels the {@code group_by} keys and their values, in request order
 * @param timesNanos bucket starts, ascending
 * @param values the aggregated value of each bucket, parallel to {@code timesNanos}
 */
record AggregatedSeries(Map<String, String> labels, long[] timesNanos, double[] values) {

    int size() {
        return timesNanos.length;
    }
}
