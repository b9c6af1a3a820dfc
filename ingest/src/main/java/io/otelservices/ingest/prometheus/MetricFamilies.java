package io.otelservices.ingest.prometheus;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Locale;
import java.util.Map;

/**
 * The metric families' metadata (type, help, unit) that senders write, by family name, and how a series name finds
 * its family. Prometheus 2.x sends metadata in requests of its own, about once a minute, not with the samples; so
 * the receiver remembers the latest of each family (bounded, least useful first out) and applies it to later
 * samples. Until a family's metadata has arrived, its samples are {@link PrometheusType#UNKNOWN}, stored as gauges.
 * Thread-safe.
 */
final class MetricFamilies {

    /** The metric metadata key that marks a point as written in Prometheus' own names and types. */
    static final String PROMETHEUS_TYPE_KEY = "prometheus.type";

    /** {@code prometheus.MetricMetadata.MetricType}, by number; its lower-case name is the marker's value. */
    enum PrometheusType {
        UNKNOWN, COUNTER, GAUGE, HISTOGRAM, GAUGEHISTOGRAM, SUMMARY, INFO, STATESET;

        private static final PrometheusType[] BY_NUMBER = values();

        private final String text = name().toLowerCase(Locale.ROOT);
        private final Map<String, String> metadata = Map.of(PROMETHEUS_TYPE_KEY, text);

        /** The type of a wire number; {@link #UNKNOWN} for numbers this receiver does not know. */
        static PrometheusType ofNumber(int number) {
            return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : UNKNOWN;
        }

        /** The lower-case name, e.g. {@code counter}. */
        String text() {
            return text;
        }

        /** The point's metric metadata: {@code prometheus.type} = {@link #text()}. */
        Map<String, String> metadata() {
            return metadata;
        }
    }

    /** A family's metadata as last sent. */
    record Family(PrometheusType type, String help, String unit) {
        static final Family UNKNOWN = new Family(PrometheusType.UNKNOWN, "", "");
    }

    /**
     * What a series takes from its family.
     *
     * @param cumulativeSum whether its samples are a counter's values (a monotonic cumulative sum); false for
     *     gauges and for the parts of histograms and summaries
     */
    record Resolved(PrometheusType type, boolean cumulativeSum, String description, String unit) {
        static final Resolved UNKNOWN = new Resolved(PrometheusType.UNKNOWN, false, "", "");
    }

    /** Series-name suffixes of a family's samples (OpenMetrics), with the family types that write each. */
    private static final String[] SUFFIXES = {"_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum",
            "_info"};

    private final Cache<String, Family> families;

    MetricFamilies(long maxFamilies) {
        this.families = Caffeine.newBuilder().maximumSize(maxFamilies).executor(Runnable::run).build();
    }

    /** Remembers the metadata of each family in {@code sent}, replacing what was known. */
    void putAll(Map<String, Family> sent) {
        families.putAll(sent);
    }

    /** Families known now (an estimate while eviction catches up). */
    long size() {
        return families.estimatedSize();
    }

    /**
     * The family of a series name: the family of that exact name, or else the family whose name is the series name
     * less one suffix that the family's type writes ({@code foo_total} of counter {@code foo}, {@code foo_bucket}
     * of histogram {@code foo}, ...). {@code sent} (this request's metadata) is looked at before what is known.
     */
    Resolved resolve(String seriesName, Map<String, Family> sent) {
        Family exact = lookUp(seriesName, sent);
        if (exact != null) {
            return resolved(exact, exact.type() == PrometheusType.COUNTER);
        }
        for (String suffix : SUFFIXES) {
            if (seriesName.length() > suffix.length() && seriesName.endsWith(suffix)) {
                Family family = lookUp(seriesName.substring(0, seriesName.length() - suffix.length()), sent);
                if (family != null && writes(family.type(), suffix)) {
                    return resolved(family, family.type() == PrometheusType.COUNTER && suffix.equals("_total"));
                }
            }
        }
        return Resolved.UNKNOWN;
    }

    private Family lookUp(String name, Map<String, Family> sent) {
        Family family = sent.get(name);
        return family != null ? family : families.getIfPresent(name);
    }

    private static Resolved resolved(Family family, boolean cumulativeSum) {
        return new Resolved(family.type(), cumulativeSum, family.help(), family.unit());
    }

    private static boolean writes(PrometheusType type, String suffix) {
        return switch (suffix) {
            case "_total" -> type == PrometheusType.COUNTER;
            case "_created" -> type == PrometheusType.COUNTER || type == PrometheusType.HISTOGRAM
                    || type == PrometheusType.SUMMARY;
            case "_bucket" -> type == PrometheusType.HISTOGRAM || type == PrometheusType.GAUGEHISTOGRAM;
            case "_count", "_sum" -> type == PrometheusType.HISTOGRAM || type == PrometheusType.SUMMARY;
            case "_gcount", "_gsum" -> type == PrometheusType.GAUGEHISTOGRAM;
            case "_info" -> type == PrometheusType.INFO;
            default -> false;
        };
    }
}
