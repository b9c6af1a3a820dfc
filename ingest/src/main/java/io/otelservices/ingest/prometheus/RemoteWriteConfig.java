package io.otelservices.ingest.prometheus;

/**
 * Settings of the Prometheus remote-write receiver; the body size limit is ingest's
 * ({@code IngestConfig.maxRequestBytes}). Immutable; validated on construction.
 *
 * @param maxTrackedSeries series whose latest sample is remembered for the out-of-order and duplicate checks
 *     (roughly 150 bytes of heap each); beyond, the least useful are forgotten and their older samples accepted
 * @param maxMetricFamilies metric families whose metadata (type, help, unit) is remembered
 */
public record RemoteWriteConfig(long maxTrackedSeries, long maxMetricFamilies) {

    public static final long DEFAULT_MAX_TRACKED_SERIES = 250_000;
    public static final long DEFAULT_MAX_METRIC_FAMILIES = 50_000;

    /** 250,000 tracked series (about 40 MiB), 50,000 metric families. */
    public static final RemoteWriteConfig DEFAULT =
            new RemoteWriteConfig(DEFAULT_MAX_TRACKED_SERIES, DEFAULT_MAX_METRIC_FAMILIES);

    public RemoteWriteConfig {
        if (maxTrackedSeries <= 0) {
            throw new IllegalArgumentException("maxTrackedSeries: " + maxTrackedSeries + " (expected: > 0)");
        }
        if (maxMetricFamilies <= 0) {
            throw new IllegalArgumentException("maxMetricFamilies: " + maxMetricFamilies + " (expected: > 0)");
        }
    }
}
