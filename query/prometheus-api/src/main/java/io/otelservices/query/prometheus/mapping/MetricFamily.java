package io.otelservices.query.prometheus.mapping;

import io.otelservices.model.MetricType;
import io.otelservices.storage.MetricName;
import java.util.List;

/**
 * A stored metric as Prometheus sees it: the Prometheus metric family it becomes, with its base name, its Prometheus
 * type, and the names it exposes (a histogram {@code x} exposes {@code x_bucket}, {@code x_sum} and {@code x_count}).
 * Immutable.
 *
 * @param stored the stored metric (name as sent, point type, unit, description, metadata)
 * @param baseName the family's Prometheus name: suffixes added for OpenTelemetry metrics, the stored name for
 *     metrics that came from Prometheus ({@link #fromPrometheus})
 * @param kind what the family's points become
 * @param fromPrometheus whether the metric carries {@code prometheus.type} metadata: its name and attribute keys
 *     are already Prometheus names and are used as they are
 */
record MetricFamily(MetricName stored, String baseName, Kind kind, boolean fromPrometheus) {

    /** The metadata key that Prometheus-originated metrics carry (their Prometheus {@code TYPE}). */
    static final String PROMETHEUS_TYPE = "prometheus.type";

    /** What a family's points become in Prometheus. */
    enum Kind {
        /** A gauge, or a non-monotonic cumulative sum: the value as it is. */
        GAUGE("gauge"),
        /** A monotonic sum: a counter, delta points accumulated. */
        COUNTER("counter"),
        /** An explicit-bucket histogram: cumulative {@code _bucket{le}}, {@code _sum}, {@code _count}. */
        HISTOGRAM("histogram"),
        /** A summary: {@code {quantile}} series, {@code _sum}, {@code _count}. */
        SUMMARY("summary");

        private final String prometheusType;

        Kind(String prometheusType) {
            this.prometheusType = prometheusType;
        }

        String prometheusType() {
            return prometheusType;
        }
    }

    /** Which of a family's series a name selects. */
    enum Component {
        /** The gauge or counter value, or a summary's quantiles. */
        VALUE(""),
        /** A histogram's cumulative buckets. */
        BUCKET("_bucket"),
        /** A histogram's or summary's sum. */
        SUM("_sum"),
        /** A histogram's or summary's count. */
        COUNT("_count");

        private final String suffix;

        Component(String suffix) {
            this.suffix = suffix;
        }

        String suffix() {
            return suffix;
        }
    }

    /** One Prometheus metric name a family exposes. */
    record ExposedName(String name, MetricFamily family, Component component) {}

    /**
     * The family of a stored metric, or {@code null} when it is not exposed (exponential histograms, delta
     * non-monotonic sums, names with nothing valid left).
     *
     * @param sumShape for sums, the shape learnt from its points; ignored for other types
     */
    static MetricFamily of(MetricName stored, SumShape sumShape) {
        Kind kind = switch (stored.type()) {
            case GAUGE -> Kind.GAUGE;
            case SUM -> sumShape.monotonic() ? Kind.COUNTER : sumShape.delta() ? null : Kind.GAUGE;
            case HISTOGRAM -> Kind.HISTOGRAM;
            case SUMMARY -> Kind.SUMMARY;
            case EXPONENTIAL_HISTOGRAM -> null;
        };
        if (kind == null) {
            return null;
        }
        boolean fromPrometheus = stored.metricMetadata().containsKey(PROMETHEUS_TYPE);
        String baseName;
        if (fromPrometheus) {
            baseName = stored.metricName();
        } else {
            PrometheusNames.Suffix suffix = switch (kind) {
                case COUNTER -> PrometheusNames.Suffix.TOTAL;
                case GAUGE -> stored.type() == MetricType.GAUGE ? PrometheusNames.Suffix.GAUGE
                        : PrometheusNames.Suffix.NONE;
                case HISTOGRAM, SUMMARY -> PrometheusNames.Suffix.NONE;
            };
            baseName = PrometheusNames.metricName(stored.metricName(), stored.metricUnit(), suffix);
        }
        return baseName.isEmpty() ? null : new MetricFamily(stored, baseName, kind, fromPrometheus);
    }

    /** The names this family exposes, with the component each selects. */
    List<ExposedName> exposedNames() {
        return switch (kind) {
            case GAUGE, COUNTER -> List.of(exposed(Component.VALUE));
            case HISTOGRAM -> List.of(exposed(Component.BUCKET), exposed(Component.SUM), exposed(Component.COUNT));
            case SUMMARY -> List.of(exposed(Component.VALUE), exposed(Component.SUM), exposed(Component.COUNT));
        };
    }

    /** The Prometheus {@code TYPE}: the stored {@code prometheus.type} for metrics from Prometheus. */
    String prometheusType() {
        return fromPrometheus ? stored.metricMetadata().get(PROMETHEUS_TYPE) : kind.prometheusType();
    }

    /**
     * The name {@code /api/v1/metadata} lists the family under: its base name, except that the {@code _bucket},
     * {@code _sum} and {@code _count} series of a histogram or summary that came from Prometheus (stored as series of
     * their own) are listed under their family's name, as Prometheus lists them.
     */
    String metadataName() {
        String type = prometheusType();
        if (fromPrometheus && ("histogram".equals(type) || "summary".equals(type))) {
            for (Component component : List.of(Component.BUCKET, Component.SUM, Component.COUNT)) {
                if (baseName.endsWith(component.suffix()) && baseName.length() > component.suffix().length()) {
                    return baseName.substring(0, baseName.length() - component.suffix().length());
                }
            }
        }
        return baseName;
    }

    /** The Prometheus {@code UNIT}: unit words for OpenTelemetry metrics, the stored unit for Prometheus ones. */
    String prometheusUnit() {
        return fromPrometheus ? stored.metricUnit() : PrometheusNames.unitName(stored.metricUnit());
    }

    private ExposedName exposed(Component component) {
        return new ExposedName(baseName + component.suffix(), this, component);
    }

    /**
     * What the points of a stored sum are like; the catalog learns it from the points it reads.
     *
     * @param monotonic {@code Sum.is_monotonic}
     * @param delta delta aggregation temporality (else cumulative or unspecified, read as cumulative)
     */
    record SumShape(boolean monotonic, boolean delta) {
        /** Placeholder for types other than sums. */
        static final SumShape NONE = new SumShape(false, false);
    }
}
