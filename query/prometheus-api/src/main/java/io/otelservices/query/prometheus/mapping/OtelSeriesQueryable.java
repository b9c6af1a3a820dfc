package io.otelservices.query.prometheus.mapping;

import static java.util.Objects.requireNonNull;

import io.otelservices.query.prometheus.mapping.MetricFamily.Component;
import io.otelservices.query.prometheus.mapping.MetricFamily.ExposedName;
import io.otelservices.query.promql.LabelMatcher;
import io.otelservices.query.promql.Labels;
import io.otelservices.query.promql.Queryable;
import io.otelservices.query.promql.SelectHints;
import io.otelservices.query.promql.Series;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesHints;
import io.otelservices.storage.SeriesQuery;
import io.otelservices.storage.SeriesReader;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Stored OpenTelemetry metrics as Prometheus series, for the PromQL engine and the Prometheus API, following the
 * OpenTelemetry specification's "Prometheus and OpenMetrics Compatibility" (OTLP Metric points to Prometheus) and
 * Prometheus' own OTLP naming: metric names with unit and {@code _total} suffixes ({@link PrometheusNames}),
 * sanitised label names, {@code job} and {@code instance} from the resource, {@code otel_scope_name} and
 * {@code otel_scope_version}, histograms and summaries split into their series, delta sums and histograms
 * accumulated, "no recorded value" points as staleness markers ({@link SeriesTranslator}), and a synthesised
 * {@code target_info} per resource ({@link TargetInfo}). Metrics that came from Prometheus (metadata
 * {@code prometheus.type}) keep their names and label names. Exponential histograms are not exposed.
 *
 * <p>Selection: {@code __name__} matchers pick metric families from the stored metric names (a cached catalog,
 * {@link MetricCatalog}); equality matchers that map to one stored attribute are pushed down to storage
 * ({@link Selection}); every matcher is checked on the translated labels. Series come sorted by labels, with the
 * samples in {@code [startMillis, endMillis]}. More than {@code maxSeries} series, or a stored metric with more, fail
 * the query as an {@code execution} error.
 *
 * <p>Thread-safe; calls block on storage, so callers run them off event loops.
 */
public final class OtelSeriesQueryable implements Queryable {

    private final SeriesReader reader;
    private final int maxSeries;
    private final MetricCatalog catalog;

    /**
     * @param reader where the series are stored
     * @param maxSeries the most series one selection may return, and the most stored series of one metric it may
     *     read
     * @param catalogTtl how long a list of metric names is reused (a few seconds: new metrics show up that late)
     * @param clock the time of the catalog's cache
     */
    public OtelSeriesQueryable(SeriesReader reader, int maxSeries, Duration catalogTtl, Clock clock) {
        this.reader = requireNonNull(reader, "reader");
        if (maxSeries <= 0) {
            throw new IllegalArgumentException("maxSeries: " + maxSeries + " (expected: > 0)");
        }
        this.maxSeries = maxSeries;
        this.catalog = new MetricCatalog(reader, maxSeries, requireNonNull(catalogTtl, "catalogTtl"),
                requireNonNull(clock, "clock"));
    }

    @Override
    public List<Series> select(SelectHints hints, List<LabelMatcher> matchers) {
        requireNonNull(hints, "hints");
        return collect(hints.startMillis(), hints.endMillis(), hints.stepMillis(), matchers).sorted();
    }

    @Override
    public List<Labels> series(long startMillis, long endMillis, List<LabelMatcher> matchers, int limit) {
        List<Series> series = collect(startMillis, endMillis, 0, matchers).sorted();
        List<Labels> labels = new ArrayList<>(series.size());
        for (Series one : series) {
            if (limit > 0 && labels.size() >= limit) {
                break;
            }
            labels.add(one.labels());
        }
        return labels;
    }

    @Override
    public List<String> labelNames(long startMillis, long endMillis, List<LabelMatcher> matchers, int limit) {
        TreeSet<String> names = new TreeSet<>();
        for (Series series : collect(startMillis, endMillis, 0, matchers).sorted()) {
            names.addAll(series.labels().names());
        }
        return limited(names, limit);
    }

    @Override
    public List<String> labelValues(String name, long startMillis, long endMillis, List<LabelMatcher> matchers,
            int limit) {
        requireNonNull(name, "name");
        TreeSet<String> values = new TreeSet<>();
        if (name.equals(Labels.METRIC_NAME) && matchers.isEmpty()) {
            // Metric names come from the catalog, without reading series. target_info is listed when any
            // OpenTelemetry metric is: a resource without attributes other than the service ones, which has none,
            // is rare.
            List<MetricFamily> families = catalog.families(startMillis, endMillis);
            for (MetricFamily family : families) {
                for (ExposedName exposed : family.exposedNames()) {
                    values.add(exposed.name());
                }
            }
            if (hasOpenTelemetryMetrics(families)) {
                values.add(TargetInfo.NAME);
            }
            return limited(values, limit);
        }
        for (Series series : collect(startMillis, endMillis, 0, matchers).sorted()) {
            String value = series.labels().get(name);
            if (!value.isEmpty()) {
                values.add(value);
            }
        }
        return limited(values, limit);
    }

    /**
     * The metadata of the metric families with points in {@code [startMillis, endMillis]}, by name; one entry per
     * distinct type, help and unit of a name. {@code target_info} is listed as a gauge when any OpenTelemetry
     * metric is.
     */
    public List<MetricMetadata> metadata(long startMillis, long endMillis) {
        List<MetricFamily> families = catalog.families(startMillis, endMillis);
        TreeSet<MetricMetadata> metadata = new TreeSet<>(
                Comparator.comparing(MetricMetadata::metric).thenComparing(MetricMetadata::type)
                        .thenComparing(MetricMetadata::help).thenComparing(MetricMetadata::unit));
        for (MetricFamily family : families) {
            metadata.add(new MetricMetadata(family.metadataName(), family.prometheusType(),
                    family.stored().metricDescription(), family.prometheusUnit()));
        }
        if (hasOpenTelemetryMetrics(families)) {
            metadata.add(new MetricMetadata(TargetInfo.NAME, "gauge", "Target metadata", ""));
        }
        return new ArrayList<>(metadata);
    }

    /** Whether any family is an OpenTelemetry metric (those from Prometheus have no synthesised target_info). */
    private static boolean hasOpenTelemetryMetrics(List<MetricFamily> families) {
        for (MetricFamily family : families) {
            if (!family.fromPrometheus()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The exemplars in {@code [startMillis, endMillis]} of the series any of {@code selectors} selects, series by
     * labels (see {@link ExemplarCollector} for which series carry them).
     */
    public List<ExemplarSeries> exemplars(long startMillis, long endMillis, List<List<LabelMatcher>> selectors) {
        ExemplarCollector exemplars = new ExemplarCollector(startMillis, endMillis);
        for (List<LabelMatcher> matchers : selectors) {
            Selection selection = Selection.of(matchers);
            Map<String, Map<MetricFamily, Set<Component>>> wanted = wanted(startMillis, endMillis, selection);
            for (Map.Entry<String, Map<MetricFamily, Set<Component>>> name : wanted.entrySet()) {
                List<MetricFamily> carrying = new ArrayList<>();
                for (Map.Entry<MetricFamily, Set<Component>> family : name.getValue().entrySet()) {
                    for (Component component : family.getValue()) {
                        if (ExemplarCollector.carriesExemplars(family.getKey(), component)) {
                            carrying.add(family.getKey());
                            break;
                        }
                    }
                }
                if (carrying.isEmpty()) {
                    continue;
                }
                for (MetricSeries series : read(name.getKey(), selection, startMillis, endMillis, 0, true)) {
                    for (MetricFamily family : carrying) {
                        if (SeriesTranslator.belongsTo(series, family)) {
                            exemplars.add(family, series, matchers);
                        }
                    }
                }
            }
        }
        return exemplars.result();
    }

    private SeriesCollector collect(long startMillis, long endMillis, long stepMillis, List<LabelMatcher> matchers) {
        requireNonNull(matchers, "matchers");
        Selection selection = Selection.of(matchers);
        SeriesCollector out = new SeriesCollector(matchers, maxSeries);
        SeriesTranslator translator = new SeriesTranslator(out, startMillis, endMillis);
        Map<String, Map<MetricFamily, Set<Component>>> wanted = wanted(startMillis, endMillis, selection);
        TargetInfo targetInfo = null;
        Map<String, List<MetricFamily>> toRead = new LinkedHashMap<>();
        if (selection.selectsName(TargetInfo.NAME)) {
            // target_info needs every resource that has points in the range: read every metric.
            targetInfo = new TargetInfo(startMillis, endMillis);
            for (MetricFamily family : catalog.families(startMillis, endMillis)) {
                toRead.computeIfAbsent(family.stored().metricName(), n -> new ArrayList<>()).add(family);
            }
        } else {
            for (Map.Entry<String, Map<MetricFamily, Set<Component>>> name : wanted.entrySet()) {
                toRead.put(name.getKey(), new ArrayList<>(name.getValue().keySet()));
            }
        }
        for (Map.Entry<String, List<MetricFamily>> name : toRead.entrySet()) {
            Map<MetricFamily, Set<Component>> components = wanted.getOrDefault(name.getKey(), Map.of());
            for (MetricSeries series : read(name.getKey(), selection, startMillis, endMillis, stepMillis, false)) {
                catalog.learn(series);
                for (MetricFamily family : name.getValue()) {
                    if (!SeriesTranslator.belongsTo(series, family)) {
                        continue;
                    }
                    Set<Component> selected = components.get(family);
                    if (selected != null) {
                        translator.add(family, series, selected);
                    }
                    if (targetInfo != null) {
                        targetInfo.add(series);
                    }
                }
            }
        }
        if (targetInfo != null) {
            targetInfo.addTo(out);
        }
        return out;
    }

    /** The families whose exposed names the selection's {@code __name__} matchers accept, by stored metric name. */
    private Map<String, Map<MetricFamily, Set<Component>>> wanted(long startMillis, long endMillis,
            Selection selection) {
        Map<String, Map<MetricFamily, Set<Component>>> wanted = new LinkedHashMap<>();
        for (MetricFamily family : catalog.families(startMillis, endMillis)) {
            for (ExposedName exposed : family.exposedNames()) {
                if (selection.selectsName(exposed.name())) {
                    wanted.computeIfAbsent(family.stored().metricName(), n -> new LinkedHashMap<>())
                            .computeIfAbsent(family, f -> EnumSet.noneOf(Component.class))
                            .add(exposed.component());
                }
            }
        }
        return wanted;
    }

    private List<MetricSeries> read(String metricName, Selection selection, long startMillis, long endMillis,
            long stepMillis, boolean exemplars) {
        // No aggregation function in the hints: the engine needs raw points, never a backend's rollups. Exemplars
        // only for the exemplar endpoint: reading them is a good part of a large selection's cost.
        SeriesHints hints = new SeriesHints(stepMillis > 0 && stepMillis < Long.MAX_VALUE / 1_000_000L
                ? stepMillis * 1_000_000L : 0, null, exemplars);
        SeriesQuery query = new SeriesQuery(metricName, selection.serviceName(), selection.attributes(),
                StorageReads.range(startMillis, endMillis), maxSeries, hints);
        return StorageReads.await(reader.select(query), "the series of " + metricName);
    }

    private static List<String> limited(TreeSet<String> values, int limit) {
        List<String> result = new ArrayList<>(limit > 0 ? Math.min(limit, values.size()) : values.size());
        for (String value : values) {
            if (limit > 0 && result.size() >= limit) {
                break;
            }
            result.add(value);
        }
        return result;
    }
}
