package io.otelservices.ingest.prometheus;

import com.google.protobuf.InvalidProtocolBufferException;
import io.otelservices.ingest.prometheus.MetricFamilies.Family;
import io.otelservices.ingest.prometheus.MetricFamilies.PrometheusType;
import io.otelservices.ingest.prometheus.MetricFamilies.Resolved;
import io.otelservices.ingest.prometheus.Rejections.Reason;
import io.otelservices.ingest.prometheus.SampleTracker.Latest;
import io.otelservices.model.AggregationTemporality;
import io.otelservices.model.Exemplar;
import io.otelservices.model.InstrumentationScope;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.MetricValue;
import io.otelservices.model.Resource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts one decompressed {@code prometheus.WriteRequest} into {@link MetricPoint}s, following the OpenTelemetry
 * specification's Prometheus-to-OTLP mapping (the Prometheus receiver's):
 * <ul>
 *   <li>{@code __name__} is the metric name, verbatim; {@code job} is the resource's {@code service.name}, or
 *       {@code service.namespace} and {@code service.name} when it reads {@code namespace/name}; {@code instance} is
 *       {@code service.instance.id}; every other label is a point attribute. Labels with an empty value are
 *       absent, as in Prometheus.
 *   <li>A counter's samples ({@code foo} or {@code foo_total} of counter family {@code foo}) are monotonic
 *       cumulative sums; every other sample (gauges, unknown, and each series of a classic histogram or summary)
 *       is a gauge. The family's help and unit are the metric's description and unit.
 *   <li>Every point carries the metric metadata {@code prometheus.type} = the family's type in lower case
 *       ({@code unknown} when no metadata was sent): the query side then knows the name is already a Prometheus
 *       name and translates nothing.
 *   <li>A staleness marker (the NaN with bits {@code 0x7ff0000000000002}) is a point flagged
 *       {@link MetricPoint#FLAG_NO_RECORDED_VALUE}.
 *   <li>Exemplar labels {@code trace_id} and {@code span_id} (hex of the right length) are the exemplar's ids; the
 *       others are its filtered attributes. An exemplar joins the sample of its series nearest in time in the same
 *       request (Prometheus sends exemplars in series entries of their own); one without such a sample is dropped.
 * </ul>
 * Samples are checked against the series' latest stored sample ({@link SampleTracker}) and against earlier samples
 * of the request: older is "out of order", the same timestamp with another value is "duplicate sample for
 * timestamp", the same timestamp and value is an identical retry and dropped silently. Series with bad labels, and
 * such samples, are rejected ({@link Rejections}); the rest is converted. One instance per request.
 */
final class WriteRequestConverter {

    /** Prometheus' staleness marker (prometheus/model/value.StaleNaN). */
    static final long STALE_NAN_BITS = 0x7ff0000000000002L;
    /** The largest millisecond timestamp whose nanoseconds fit a signed 64-bit integer. */
    static final long MAX_TIMESTAMP_MILLIS = Long.MAX_VALUE / 1_000_000;

    private static final String METRIC_NAME_LABEL = "__name__";
    private static final String JOB_LABEL = "job";
    private static final String INSTANCE_LABEL = "instance";
    private static final String TRACE_ID_LABEL = "trace_id";
    private static final String SPAN_ID_LABEL = "span_id";

    /** What a request turned into. {@link #latest} and {@link #families} are applied once the points are stored. */
    record Converted(List<MetricPoint> points, Map<SeriesKey, Latest> latest, Map<String, Family> families,
            Rejections rejections, long duplicates, Map<String, Long> droppedExemplars) {}

    /** An exemplar sent in a series entry without samples, joined to its series' points at the end. */
    private record PendingExemplar(SeriesKey key, Exemplar exemplar) {}

    private record JobInstance(String job, String instance) {}

    private final SampleTracker tracker;
    private final MetricFamilies knownFamilies;
    private final Map<String, Family> sentFamilies = new HashMap<>();
    private final Map<String, Resolved> resolvedNames = new HashMap<>();
    private final Map<JobInstance, Resource> resources = new HashMap<>();
    private final Map<SeriesKey, Latest> latest = new HashMap<>();
    private final List<MetricPoint> points = new ArrayList<>();
    private final List<SeriesKey> pointKeys = new ArrayList<>();
    private final List<PendingExemplar> pendingExemplars = new ArrayList<>(0);
    private final Map<String, Long> droppedExemplars = new HashMap<>(0);
    private final Rejections rejections = new Rejections();
    private long duplicates;
    // per series, reused
    private long[] acceptedTimestamps = new long[4];
    private double[] acceptedValues = new double[4];

    WriteRequestConverter(SampleTracker tracker, MetricFamilies knownFamilies) {
        this.tracker = tracker;
        this.knownFamilies = knownFamilies;
    }

    /** Converts {@code body[0, length)}; fails when it is not a {@code prometheus.WriteRequest}. */
    Converted convert(byte[] body, int length) throws InvalidProtocolBufferException {
        RemoteWriteDecoder decoder = new RemoteWriteDecoder(body, 0, length);
        decoder.readMetadata(this::metadata);
        decoder.readSeries(this::series);
        joinPendingExemplars();
        return new Converted(points, latest, sentFamilies, rejections, duplicates, droppedExemplars);
    }

    private void metadata(String familyName, int type, String help, String unit) {
        if (familyName == null || familyName.isEmpty()) {
            return; // nothing to attach it to
        }
        sentFamilies.put(familyName, new Family(PrometheusType.ofNumber(type),
                help == null ? "" : help, unit == null ? "" : unit));
    }

    private void series(DecodedSeries series) {
        int sampleCount = series.sampleCount();
        if (series.histogramCount() > 0) {
            reject(Reason.NATIVE_HISTOGRAM, series.histogramCount(), series, 0, 0, null);
        }
        if (sampleCount == 0 && series.exemplars().isEmpty()) {
            return;
        }
        series.sortLabels();
        String metricName = checkLabels(series);
        if (metricName == null) {
            dropExemplars("invalid_series", series.exemplars().size());
            return;
        }
        SeriesKey key = SeriesKey.of(series);
        Latest last = latest.get(key);
        if (last == null) {
            last = tracker.latest(key);
        }
        int accepted = 0;
        for (int i = 0; i < sampleCount; i++) {
            long timestamp = series.timestampMillis(i);
            double value = series.value(i);
            long bits = Double.doubleToRawLongBits(value);
            if (timestamp < 0 || timestamp > MAX_TIMESTAMP_MILLIS) {
                reject(Reason.OUT_OF_BOUNDS, 1, series, timestamp, value, last);
            } else if (last != null && timestamp < last.timestampMillis()) {
                reject(Reason.OUT_OF_ORDER, 1, series, timestamp, value, last);
            } else if (last != null && timestamp == last.timestampMillis()) {
                if (bits == last.valueBits()) {
                    duplicates++; // an identical retry: already stored
                } else {
                    reject(Reason.DUPLICATE_TIMESTAMP, 1, series, timestamp, value, last);
                }
            } else {
                last = new Latest(timestamp, bits);
                addAccepted(accepted++, timestamp, value);
            }
        }
        if (accepted > 0) {
            latest.put(key, last);
        }
        addPoints(series, metricName, key, accepted, sampleCount);
    }

    /**
     * Rejects samples of {@code series}; the explanation (in Prometheus' words where it has some) is built only while
     * the answer keeps explanations.
     */
    private void reject(Reason reason, long samples, DecodedSeries series, long timestamp, double value,
            Latest last) {
        if (!rejections.wantsMessage()) {
            rejections.add(reason, samples, null);
            return;
        }
        String labels = LabelText.of(series);
        String message = switch (reason) {
            case OUT_OF_BOUNDS -> "out of bounds: timestamp " + timestamp + " of series " + labels
                    + " (expected: 0 to " + MAX_TIMESTAMP_MILLIS + " ms since the epoch)";
            case OUT_OF_ORDER -> "out of order sample: timestamp " + timestamp + " of series " + labels
                    + " is before its latest sample, at " + last.timestampMillis();
            case DUPLICATE_TIMESTAMP -> "duplicate sample for timestamp: " + timestamp + " of series " + labels
                    + " has value " + value + ", but " + Double.longBitsToDouble(last.valueBits()) + " is stored";
            case NATIVE_HISTOGRAM -> "native histograms are not supported: " + samples
                    + " histogram samples of series " + labels + " were not stored";
            case MISSING_METRIC_NAME -> "missing metric name (label __name__) in series " + labels;
            case INVALID_LABEL, DUPLICATE_LABEL -> throw new IllegalArgumentException("reason: " + reason
                    + " (expected: one explained here; label problems are explained by checkLabels)");
        };
        rejections.add(reason, samples, message);
    }

    /**
     * The metric name of a series whose labels are valid; otherwise rejects its samples and returns {@code null}.
     * The labels must be sorted.
     */
    private String checkLabels(DecodedSeries series) {
        String metricName = null;
        for (int i = 0; i < series.labelCount(); i++) {
            String name = series.labelName(i);
            String value = series.labelValue(i);
            String problem = null;
            Reason reason = Reason.INVALID_LABEL;
            if (name == null || name.isEmpty()) {
                problem = "invalid label name: " + (name == null ? "not UTF-8" : "empty")
                        + " (expected: a non-empty UTF-8 string)";
            } else if (value == null) {
                problem = "invalid value of label " + name + ": not UTF-8";
            } else if (i > 0 && name.equals(series.labelName(i - 1))) {
                problem = "duplicate label name: " + name;
                reason = Reason.DUPLICATE_LABEL;
            } else if (name.equals(METRIC_NAME_LABEL)) {
                metricName = value;
            }
            if (problem != null) {
                rejections.add(reason, series.sampleCount(),
                        rejections.wantsMessage() ? problem + " in series " + LabelText.of(series) : null);
                return null;
            }
        }
        if (metricName == null || metricName.isEmpty()) {
            reject(Reason.MISSING_METRIC_NAME, series.sampleCount(), series, 0, 0, null);
            return null;
        }
        return metricName;
    }

    private void addAccepted(int index, long timestamp, double value) {
        if (index == acceptedValues.length) {
            acceptedTimestamps = Arrays.copyOf(acceptedTimestamps, index * 2);
            acceptedValues = Arrays.copyOf(acceptedValues, index * 2);
        }
        acceptedTimestamps[index] = timestamp;
        acceptedValues[index] = value;
    }

    private void addPoints(DecodedSeries series, String metricName, SeriesKey key, int accepted, int sampleCount) {
        List<List<Exemplar>> exemplarsBySample = exemplarsBySample(series, key, accepted, sampleCount);
        if (accepted == 0) {
            return;
        }
        Resolved resolved = resolvedNames.computeIfAbsent(metricName,
                name -> knownFamilies.resolve(name, sentFamilies));
        Map<String, String> attributes = new HashMap<>(series.labelCount() * 2);
        String job = "";
        String instance = "";
        for (int i = 0; i < series.labelCount(); i++) {
            String name = series.labelName(i);
            String value = series.labelValue(i);
            if (value.isEmpty() || name.equals(METRIC_NAME_LABEL)) {
                continue;
            }
            if (name.equals(JOB_LABEL)) {
                job = value;
            } else if (name.equals(INSTANCE_LABEL)) {
                instance = value;
            } else {
                attributes.put(name, value);
            }
        }
        Map<String, String> pointAttributes = Map.copyOf(attributes); // shared by the series' points
        Resource resource = resources.computeIfAbsent(new JobInstance(job, instance),
                WriteRequestConverter::resource);
        for (int i = 0; i < accepted; i++) {
            double value = acceptedValues[i];
            MetricValue metricValue = resolved.cumulativeSum()
                    ? new MetricValue.Sum(value, AggregationTemporality.CUMULATIVE, true)
                    : new MetricValue.Gauge(value);
            int flags = Double.doubleToRawLongBits(value) == STALE_NAN_BITS ? MetricPoint.FLAG_NO_RECORDED_VALUE : 0;
            List<Exemplar> exemplars = exemplarsBySample == null ? List.of() : exemplarsBySample.get(i);
            points.add(new MetricPoint(resource, InstrumentationScope.EMPTY, resource.serviceName(), metricName,
                    resolved.description(), resolved.unit(), resolved.type().metadata(), pointAttributes, 0,
                    acceptedTimestamps[i] * 1_000_000, flags, exemplars, metricValue));
            pointKeys.add(key);
        }
    }

    /**
     * The series entry's exemplars by accepted sample (nearest in time), or {@code null} when there are none to
     * attach here. An entry without samples leaves its exemplars pending for the series' other entries.
     */
    private List<List<Exemplar>> exemplarsBySample(DecodedSeries series, SeriesKey key, int accepted,
            int sampleCount) {
        List<DecodedSeries.Exemplar> sent = series.exemplars();
        if (sent.isEmpty()) {
            return null;
        }
        if (sampleCount > 0 && accepted == 0) {
            dropExemplars("sample_rejected", sent.size());
            return null;
        }
        List<List<Exemplar>> bySample = null;
        for (DecodedSeries.Exemplar decoded : sent) {
            Exemplar exemplar = ExemplarLabels.exemplar(decoded);
            if (exemplar == null) {
                dropExemplars("invalid", 1);
                continue;
            }
            if (sampleCount == 0) {
                pendingExemplars.add(new PendingExemplar(key, exemplar));
                continue;
            }
            if (bySample == null) {
                bySample = new ArrayList<>(accepted);
                for (int i = 0; i < accepted; i++) {
                    bySample.add(new ArrayList<>(1));
                }
            }
            bySample.get(nearest(acceptedTimestamps, accepted, decoded.timestampMillis())).add(exemplar);
        }
        return bySample;
    }

    private static int nearest(long[] timestamps, int count, long timestamp) {
        int best = 0;
        for (int i = 1; i < count; i++) {
            if (Math.abs(timestamps[i] - timestamp) <= Math.abs(timestamps[best] - timestamp)) {
                best = i;
            }
        }
        return best;
    }

    /** Attaches exemplars sent without samples to their series' nearest point of this request. */
    private void joinPendingExemplars() {
        if (pendingExemplars.isEmpty()) {
            return;
        }
        Map<SeriesKey, List<Integer>> pointsByKey = new HashMap<>();
        for (int i = 0; i < points.size(); i++) {
            pointsByKey.computeIfAbsent(pointKeys.get(i), key -> new ArrayList<>(1)).add(i);
        }
        for (PendingExemplar pending : pendingExemplars) {
            List<Integer> candidates = pointsByKey.getOrDefault(pending.key(), List.of());
            if (candidates.isEmpty()) {
                dropExemplars("without_sample", 1);
                continue;
            }
            long timestamp = pending.exemplar().timestampNanos();
            int best = candidates.get(0);
            for (int index : candidates) {
                if (Math.abs(points.get(index).timeNanos() - timestamp)
                        <= Math.abs(points.get(best).timeNanos() - timestamp)) {
                    best = index;
                }
            }
            MetricPoint point = points.get(best);
            List<Exemplar> exemplars = new ArrayList<>(point.exemplars());
            exemplars.add(pending.exemplar());
            points.set(best, new MetricPoint(point.resource(), point.scope(), point.serviceName(), point.metricName(),
                    point.metricDescription(), point.metricUnit(), point.metricMetadata(), point.attributes(),
                    point.startTimeNanos(), point.timeNanos(), point.flags(), exemplars, point.value()));
        }
    }

    private void dropExemplars(String reason, int count) {
        if (count > 0) {
            droppedExemplars.merge(reason, (long) count, Long::sum);
        }
    }

    /**
     * The resource of a job and instance: {@code service.name} (and {@code service.namespace} for a job
     * {@code namespace/name}) and {@code service.instance.id}; OpenTelemetry specification, "Prometheus and
     * OpenMetrics Compatibility", resource attributes.
     */
    private static Resource resource(JobInstance jobInstance) {
        Map<String, String> attributes = new HashMap<>(4);
        String job = jobInstance.job();
        int slash = job.indexOf('/');
        if (slash > 0 && slash < job.length() - 1) {
            attributes.put("service.namespace", job.substring(0, slash));
            attributes.put("service.name", job.substring(slash + 1));
        } else if (!job.isEmpty()) {
            attributes.put("service.name", job);
        }
        if (!jobInstance.instance().isEmpty()) {
            attributes.put("service.instance.id", jobInstance.instance());
        }
        return new Resource(attributes, 0, "");
    }
}
