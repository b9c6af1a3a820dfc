package io.otelservices.query.prometheus;

import com.linecorp.armeria.server.ServiceRequestContext;
import io.otelservices.query.prometheus.mapping.MetricMetadata;
import io.otelservices.query.prometheus.mapping.OtelSeriesQueryable;
import io.otelservices.query.promql.LabelMatcher;
import io.otelservices.query.promql.Labels;
import io.otelservices.query.promql.QueryException;
import io.otelservices.query.promql.Strings;
import io.otelservices.query.promql.parser.ParseException;
import io.otelservices.query.promql.parser.PromQlParser;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The metadata endpoints: {@code /api/v1/series}, {@code /api/v1/labels}, {@code /api/v1/label/{name}/values} and
 * {@code /api/v1/metadata}, with Prometheus' parameter checks and messages. Thread-safe.
 */
final class MetadataService {

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** Prometheus' parser message for a selector of empty matchers; the API words it for {@code match[]}. */
    private static final String EMPTY_MATCHERS = "vector selector must contain at least one non-empty matcher";

    private final OtelSeriesQueryable series;
    private final Clock clock;
    private final Duration metadataLookback;

    MetadataService(OtelSeriesQueryable series, Clock clock, Duration metadataLookback) {
        this.series = series;
        this.clock = clock;
        this.metadataLookback = metadataLookback;
    }

    ApiResult series(ServiceRequestContext ctx, RequestParams params) {
        List<String> matches = params.values("match[]");
        if (matches.isEmpty()) {
            throw ApiException.badData("no match[] parameter provided");
        }
        int limit = params.limit();
        long start = params.optionalTime("start", RequestParams.MIN_TIME_MILLIS);
        long end = params.optionalTime("end", RequestParams.MAX_TIME_MILLIS);
        List<List<LabelMatcher>> matcherSets;
        try {
            matcherSets = matcherSets(matches);
        } catch (ApiException e) {
            throw ApiException.invalidParameter("match[]", e.getMessage());
        }
        TreeSet<Labels> labels = new TreeSet<>();
        for (List<LabelMatcher> matchers : matcherSets) {
            labels.addAll(read(() -> series.series(start, end, matchers, limit > 0 ? limit + 1 : 0)));
        }
        List<Labels> result = new ArrayList<>(labels);
        List<String> warnings = new ArrayList<>();
        if (limit > 0 && result.size() > limit) {
            result = result.subList(0, limit);
            warnings.add(QueryService.TRUNCATED);
        }
        List<Labels> answer = result;
        return ApiResult.of(json -> {
            json.writeStartArray();
            for (Labels set : answer) {
                ResponseJson.writeLabels(json, set);
            }
            json.writeEndArray();
        }, warnings);
    }

    ApiResult labelNames(ServiceRequestContext ctx, RequestParams params) {
        int limit = params.limit();
        long start = params.optionalTime("start", RequestParams.MIN_TIME_MILLIS);
        long end = params.optionalTime("end", RequestParams.MAX_TIME_MILLIS);
        List<List<LabelMatcher>> matcherSets = matcherSets(params.values("match[]"));
        TreeSet<String> names = new TreeSet<>();
        if (matcherSets.isEmpty()) {
            names.addAll(read(() -> series.labelNames(start, end, List.of(), 0)));
        }
        for (List<LabelMatcher> matchers : matcherSets) {
            names.addAll(read(() -> series.labelNames(start, end, matchers, 0)));
        }
        return strings(names, limit);
    }

    ApiResult labelValues(ServiceRequestContext ctx, RequestParams params) {
        String name = ctx.pathParam("name");
        if (name == null || !LABEL_NAME.matcher(name).matches()) {
            throw ApiException.badData("invalid label name: " + Strings.quote(name == null ? "" : name));
        }
        int limit = params.limit();
        long start = params.optionalTime("start", RequestParams.MIN_TIME_MILLIS);
        long end = params.optionalTime("end", RequestParams.MAX_TIME_MILLIS);
        List<List<LabelMatcher>> matcherSets = matcherSets(params.values("match[]"));
        TreeSet<String> values = new TreeSet<>();
        if (matcherSets.isEmpty()) {
            values.addAll(read(() -> series.labelValues(name, start, end, List.of(), 0)));
        }
        for (List<LabelMatcher> matchers : matcherSets) {
            values.addAll(read(() -> series.labelValues(name, start, end, matchers, 0)));
        }
        return strings(values, limit);
    }

    ApiResult metadata(ServiceRequestContext ctx, RequestParams params) {
        int limit = metadataLimit(params, "limit");
        int limitPerMetric = metadataLimit(params, "limit_per_metric");
        String metric = params.value("metric");
        long now = clock.millis();
        List<MetricMetadata> all = read(() -> series.metadata(now - metadataLookback.toMillis(), now));
        Map<String, List<MetricMetadata>> byMetric = new LinkedHashMap<>();
        for (MetricMetadata metadata : all) {
            if (!metric.isEmpty() && !metric.equals(metadata.metric())) {
                continue;
            }
            List<MetricMetadata> entries = byMetric.get(metadata.metric());
            if (entries == null) {
                if (limit >= 0 && byMetric.size() >= limit) {
                    break;
                }
                entries = new ArrayList<>();
                byMetric.put(metadata.metric(), entries);
            }
            if (limitPerMetric <= 0 || entries.size() < limitPerMetric) {
                entries.add(metadata);
            }
        }
        return ApiResult.of(json -> {
            json.writeStartObject();
            for (Map.Entry<String, List<MetricMetadata>> entry : byMetric.entrySet()) {
                json.writeArrayFieldStart(entry.getKey());
                for (MetricMetadata metadata : entry.getValue()) {
                    json.writeStartObject();
                    json.writeStringField("type", metadata.type());
                    json.writeStringField("help", metadata.help());
                    json.writeStringField("unit", metadata.unit());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        });
    }

    /** {@code limit} and {@code limit_per_metric} of {@code /api/v1/metadata}: any integer, negative for none. */
    private static int metadataLimit(RequestParams params, String name) {
        String text = params.value(name);
        if (text.isEmpty()) {
            return -1;
        }
        try {
            return RequestParams.goAtoi(text, name);
        } catch (ApiException e) {
            throw ApiException.badData(name + " must be a number");
        }
    }

    /** The selectors of {@code match[]} (Prometheus' {@code parseMatchersParam}); a failure is unprefixed. */
    private static List<List<LabelMatcher>> matcherSets(List<String> matches) {
        List<List<LabelMatcher>> sets = new ArrayList<>(matches.size());
        for (String match : matches) {
            try {
                sets.add(PromQlParser.parseSeriesSelector(match));
            } catch (ParseException e) {
                if (e.reason().equals(EMPTY_MATCHERS)) {
                    throw ApiException.badData("match[] must contain at least one non-empty matcher");
                }
                throw ApiException.badData(e.getMessage());
            }
        }
        return sets;
    }

    private static ApiResult strings(TreeSet<String> values, int limit) {
        List<String> result = new ArrayList<>(values);
        List<String> warnings = new ArrayList<>();
        if (limit > 0 && result.size() > limit) {
            result = result.subList(0, limit);
            warnings.add(QueryService.TRUNCATED);
        }
        List<String> answer = result;
        return ApiResult.of(json -> ResponseJson.writeStrings(json, answer), warnings);
    }

    /** A storage read; its failures are Prometheus' {@code execution} errors unless storage said otherwise. */
    private static <T> T read(Supplier<T> read) {
        try {
            return read.get();
        } catch (QueryException e) {
            throw new ApiException(ErrorType.of(e.category()), e.getMessage(), e);
        }
    }
}
