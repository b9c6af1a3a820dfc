package io.otelservices.storage.memory;

import static java.util.Objects.requireNonNull;

import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricType;
import io.otelservices.storage.CodePointOrder;
import io.otelservices.storage.AttributeFilter;
import io.otelservices.storage.MetricName;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.QueryLimitExceededException;
import io.otelservices.storage.SeriesPoint;
import io.otelservices.storage.SeriesQuery;
import io.otelservices.storage.SeriesReader;
import io.otelservices.storage.TimeRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The {@link SeriesReader} of {@link InMemoryStorage}: full scans under the storage's read lock. */
final class InMemorySeriesReader implements SeriesReader {

    /** Points of a series: by time, then start time. */
    static final Comparator<SeriesPoint> POINT_ORDER =
            Comparator.comparingLong(SeriesPoint::timeNanos).thenComparingLong(SeriesPoint::startTimeNanos);

    private final InMemoryStorage storage;

    InMemorySeriesReader(InMemoryStorage storage) {
        this.storage = storage;
    }

    @Override
    public CompletableFuture<List<MetricSeries>> select(SeriesQuery query) {
        requireNonNull(query, "query");
        return storage.read(() -> {
            Map<SeriesKey, List<MetricPoint>> bySeries = new LinkedHashMap<>();
            for (MetricPoint point : storage.metricPoints()) {
                if (matches(point, query)) {
                    bySeries.computeIfAbsent(SeriesKey.of(point), key -> new ArrayList<>()).add(point);
                }
            }
            if (bySeries.size() > query.maxSeries()) {
                throw new QueryLimitExceededException("series of metric " + query.metricName() + ": "
                        + bySeries.size() + " (expected: <= maxSeries " + query.maxSeries() + ")");
            }
            List<MetricSeries> result = new ArrayList<>(bySeries.size());
            for (Map.Entry<SeriesKey, List<MetricPoint>> entry : bySeries.entrySet()) {
                SeriesKey key = entry.getKey();
                List<SeriesPoint> points = new ArrayList<>(entry.getValue().size());
                String description = null;
                long descriptionTime = Long.MIN_VALUE;
                for (MetricPoint point : entry.getValue()) {
                    points.add(new SeriesPoint(point.startTimeNanos(), point.timeNanos(), point.flags(),
                            point.value(), point.exemplars()));
                    if (isLater(point.timeNanos(), point.metricDescription(), descriptionTime, description)) {
                        description = point.metricDescription();
                        descriptionTime = point.timeNanos();
                    }
                }
                points.sort(POINT_ORDER);
                result.add(new MetricSeries(key.type(), key.metricName(), key.metricUnit(), description,
                        key.serviceName(), key.resourceAttributes(), key.scopeName(), key.scopeVersion(),
                        key.attributes(), points));
            }
            result.sort(MetricSeries.IDENTITY_ORDER);
            return result;
        });
    }

    @Override
    public CompletableFuture<List<MetricName>> metricNames(String serviceName, TimeRange range) {
        requireNonNull(range, "range");
        return storage.read(() -> {
            Map<NameKey, MetricPoint> latest = new HashMap<>();
            for (MetricPoint point : storage.metricPoints()) {
                if (!range.contains(point.timeNanos())
                        || (serviceName != null && !serviceName.equals(point.serviceName()))) {
                    continue;
                }
                latest.merge(new NameKey(point.metricName(), point.type(), point.metricUnit()), point,
                        (seen, candidate) -> isLater(candidate.timeNanos(), candidate.metricDescription(),
                                seen.timeNanos(), seen.metricDescription()) ? candidate : seen);
            }
            List<MetricName> names = new ArrayList<>(latest.size());
            for (Map.Entry<NameKey, MetricPoint> entry : latest.entrySet()) {
                NameKey key = entry.getKey();
                names.add(new MetricName(key.metricName(), key.type(), key.metricUnit(),
                        entry.getValue().metricDescription(), entry.getValue().metricMetadata()));
            }
            names.sort(METRIC_NAME_ORDER);
            return names;
        });
    }

    /** Metric names by name, then point type, then unit. */
    static final Comparator<MetricName> METRIC_NAME_ORDER = Comparator
            .comparing(MetricName::metricName, CodePointOrder.INSTANCE)
            .thenComparing(MetricName::type)
            .thenComparing(MetricName::metricUnit, CodePointOrder.INSTANCE);

    /**
     * Whether a description seen at {@code time} replaces one seen at {@code seenTime}: the latest point's wins, and
     * among points at the same time the greatest description, so that every backend picks the same one.
     */
    static boolean isLater(long time, String description, long seenTime, String seenDescription) {
        if (seenDescription == null || time > seenTime) {
            return true;
        }
        return time == seenTime && description.compareTo(seenDescription) > 0;
    }

    private static boolean matches(MetricPoint point, SeriesQuery query) {
        if (!query.range().contains(point.timeNanos()) || !query.metricName().equals(point.metricName())) {
            return false;
        }
        if (query.serviceName() != null && !query.serviceName().equals(point.serviceName())) {
            return false;
        }
        for (AttributeFilter filter : query.attributes()) {
            if (!filter.value().equals(point.attributes().get(filter.key()))
                    && !filter.value().equals(point.resource().attributes().get(filter.key()))) {
                return false;
            }
        }
        return true;
    }

    private record NameKey(String metricName, MetricType type, String metricUnit) {}

    /** The identity of a series (see {@link MetricSeries}). */
    private record SeriesKey(
            MetricType type, String metricName, String metricUnit, String serviceName,
            Map<String, String> resourceAttributes, String scopeName, String scopeVersion,
            Map<String, String> attributes) {

        static SeriesKey of(MetricPoint point) {
            return new SeriesKey(point.type(), point.metricName(), point.metricUnit(), point.serviceName(),
                    point.resource().attributes(), point.scope().name(), point.scope().version(),
                    point.attributes());
        }
    }
}
