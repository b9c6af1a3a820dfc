package io.otelservices.query.prometheus.mapping;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.MetricType;
import io.otelservices.model.MetricValue;
import io.otelservices.query.prometheus.mapping.MetricFamily.SumShape;
import io.otelservices.storage.MetricName;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesHints;
import io.otelservices.storage.SeriesPoint;
import io.otelservices.storage.SeriesQuery;
import io.otelservices.storage.SeriesReader;
import io.otelservices.storage.TimeRange;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The stored metrics of a time range as Prometheus metric families ({@link MetricFamily}), from
 * {@link SeriesReader#metricNames}. Lists are cached for a few seconds per range, the range widened to whole
 * {@link #ALIGNMENT_MILLIS} blocks so that dashboards whose window slides share an entry (like Prometheus, which
 * finds names per block, a name may be listed whose points lie just outside the range; selections still read only
 * the range).
 *
 * <p>Whether a stored sum is monotonic, and its temporality, decide its Prometheus name ({@code _total}) but are
 * properties of its points, which {@code metricNames} does not return: the catalog learns them from every series a
 * selection reads ({@link #learn}) and, for a sum not seen yet, reads its series once. Thread-safe.
 */
final class MetricCatalog {

    /** Catalog ranges are widened to multiples of this. */
    static final long ALIGNMENT_MILLIS = TimeUnit.MINUTES.toMillis(5);

    private final SeriesReader reader;
    private final int maxSeries;
    private final Cache<TimeRange, List<MetricFamily>> families;
    private final Cache<ShapeKey, SumShape> sumShapes;

    MetricCatalog(SeriesReader reader, int maxSeries, Duration ttl, Clock clock) {
        this.reader = reader;
        this.maxSeries = maxSeries;
        this.families = Caffeine.newBuilder()
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterWrite(ttl)
                .maximumSize(256)
                .build();
        // A metric's instrument (counter or up-down counter) and temporality do not change in practice; keep what
        // was learnt for an hour so that a metric that changes is picked up eventually.
        this.sumShapes = Caffeine.newBuilder()
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterWrite(Duration.ofHours(1))
                .maximumSize(100_000)
                .build();
    }

    /** The families with points in {@code [startMillis, endMillis]} (the range widened, see the class comment). */
    List<MetricFamily> families(long startMillis, long endMillis) {
        TimeRange range = StorageReads.range(alignDown(startMillis), alignUp(endMillis));
        return families.get(range, this::load);
    }

    /** Records the shape of a stored sum from its points. */
    void learn(MetricSeries series) {
        if (series.type() != MetricType.SUM) {
            return;
        }
        for (SeriesPoint point : series.points()) {
            if (point.value() instanceof MetricValue.Sum sum) {
                sumShapes.put(new ShapeKey(series.metricName(), series.metricUnit()), shapeOf(sum));
                return;
            }
        }
    }

    private List<MetricFamily> load(TimeRange range) {
        List<MetricName> names = StorageReads.await(reader.metricNames(null, range), "metric names");
        List<MetricFamily> result = new ArrayList<>(names.size());
        for (MetricName name : names) {
            SumShape shape = SumShape.NONE;
            if (name.type() == MetricType.SUM) {
                shape = sumShape(name, range);
                if (shape == null) {
                    continue;
                }
            }
            MetricFamily family = MetricFamily.of(name, shape);
            if (family != null) {
                result.add(family);
            }
        }
        return List.copyOf(result);
    }

    private SumShape sumShape(MetricName name, TimeRange range) {
        ShapeKey key = new ShapeKey(name.metricName(), name.metricUnit());
        SumShape known = sumShapes.getIfPresent(key);
        if (known != null) {
            return known;
        }
        List<MetricSeries> series = StorageReads.await(reader.select(new SeriesQuery(name.metricName(), null,
                List.of(), range, maxSeries, SeriesHints.VALUES_ONLY)), "the points of " + name.metricName());
        for (MetricSeries one : series) {
            if (one.type() == MetricType.SUM && one.metricUnit().equals(name.metricUnit())) {
                learn(one);
            }
        }
        return sumShapes.getIfPresent(key);
    }

    private static SumShape shapeOf(MetricValue.Sum sum) {
        return new SumShape(sum.monotonic(), sum.temporality() == AggregationTemporality.DELTA);
    }

    private static long alignDown(long millis) {
        if (millis <= Long.MIN_VALUE + ALIGNMENT_MILLIS) {
            return Long.MIN_VALUE;
        }
        return Math.floorDiv(millis, ALIGNMENT_MILLIS) * ALIGNMENT_MILLIS;
    }

    private static long alignUp(long millis) {
        if (millis >= Long.MAX_VALUE - ALIGNMENT_MILLIS) {
            return Long.MAX_VALUE;
        }
        return Math.floorDiv(millis, ALIGNMENT_MILLIS) * ALIGNMENT_MILLIS + ALIGNMENT_MILLIS - 1;
    }

    private record ShapeKey(String metricName, String metricUnit) {}
}
