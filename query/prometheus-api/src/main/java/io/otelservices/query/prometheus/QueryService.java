package io.otelservices.query.prometheus;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.otelservices.query.prometheus.mapping.ExemplarSeries;
import io.otelservices.query.prometheus.mapping.OtelSeriesQueryable;
import io.otelservices.query.promql.LabelMatcher;
import io.otelservices.query.promql.QueryException;
import io.otelservices.query.promql.QueryResult;
import io.otelservices.query.promql.Value;
import io.otelservices.query.promql.parser.Expr;
import io.otelservices.query.promql.parser.Numbers;
import io.otelservices.query.promql.parser.ParseException;
import io.otelservices.query.promql.parser.PromQlParser;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The expression endpoints: {@code /api/v1/query}, {@code query_range}, {@code query_exemplars},
 * {@code format_query} and {@code parse_query}, with Prometheus' parameter checks in its order and its messages.
 * Thread-safe.
 */
final class QueryService {

    /** Prometheus' cap on the points of one series of a range query. */
    static final long MAX_POINTS_PER_SERIES = 11_000;
    static final String TRUNCATED = "results truncated due to limit";

    private final QueryEvaluator evaluator;
    private final OtelSeriesQueryable series;
    private final Clock clock;

    QueryService(QueryEvaluator evaluator, OtelSeriesQueryable series, Clock clock) {
        this.evaluator = evaluator;
        this.series = series;
        this.clock = clock;
    }

    ApiResult query(ServiceRequestContext ctx, RequestParams params) {
        int limit = params.limit();
        long time = params.optionalTime("time", clock.millis());
        Duration timeout = timeout(params);
        Duration lookbackDelta = lookbackDelta(params);
        String query = params.value("query");
        return answer(evaluate(() -> evaluator.instant(query, time, timeout, lookbackDelta)), limit);
    }

    ApiResult queryRange(ServiceRequestContext ctx, RequestParams params) {
        int limit = params.limit();
        long start = params.requiredTime("start");
        long end = params.requiredTime("end");
        if (end < start) {
            throw ApiException.invalidParameter("end", "end timestamp must not be before start time");
        }
        long step = params.duration("step");
        if (step <= 0) {
            throw ApiException.invalidParameter("step",
                    "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        // For safety, Prometheus limits the points per series: 60 s resolution for a week, 1 h for a year.
        if ((end - start) / step > MAX_POINTS_PER_SERIES) {
            throw ApiException.badData("exceeded maximum resolution of 11,000 points per timeseries. "
                    + "Try decreasing the query resolution (?step=XX)");
        }
        Duration timeout = timeout(params);
        Duration lookbackDelta = lookbackDelta(params);
        String query = params.value("query");
        return answer(evaluate(() -> evaluator.range(query, start, end, step, timeout, lookbackDelta)), limit);
    }

    ApiResult formatQuery(ServiceRequestContext ctx, RequestParams params) {
        Expr expr = parse(params.value("query"), true);
        String formatted = expr.toString();
        return ApiResult.of(json -> json.writeString(formatted));
    }

    ApiResult parseQuery(ServiceRequestContext ctx, RequestParams params) {
        Expr expr = parse(params.value("query"), true);
        return ApiResult.of(json -> AstJson.write(json, expr));
    }

    ApiResult queryExemplars(ServiceRequestContext ctx, RequestParams params) {
        long start = params.optionalTime("start", RequestParams.MIN_TIME_MILLIS);
        long end = params.optionalTime("end", RequestParams.MAX_TIME_MILLIS);
        if (end < start) {
            throw ApiException.badData("end timestamp must not be before start timestamp");
        }
        Expr expr = parse(params.value("query"), false);
        List<List<LabelMatcher>> selectors = new ArrayList<>();
        collectSelectors(expr, selectors);
        if (selectors.isEmpty()) {
            return null;
        }
        List<ExemplarSeries> exemplars = evaluate(() -> series.exemplars(start, end, selectors));
        return ApiResult.of(json -> writeExemplars(json, exemplars));
    }

    private static ApiResult answer(QueryResult result, int limit) {
        Value value = result.value();
        List<String> warnings = new ArrayList<>(result.warnings());
        if (limit > 0) {
            Value truncated = truncate(value, limit);
            if (truncated != value) {
                warnings.add(TRUNCATED);
                value = truncated;
            }
        }
        Value answer = value;
        return new ApiResult(json -> ValueJson.write(json, answer), warnings, result.infos(), result.samplesRead());
    }

    /** The first {@code limit} series of a vector or matrix; other values as they are. */
    private static Value truncate(Value value, int limit) {
        if (value instanceof Value.Vector vector && vector.samples().size() > limit) {
            return new Value.Vector(vector.samples().subList(0, limit));
        }
        if (value instanceof Value.Matrix matrix && matrix.series().size() > limit) {
            return new Value.Matrix(matrix.series().subList(0, limit));
        }
        return value;
    }

    /**
     * Runs a query; the engine's failures become API errors with the same category and message. A query the engine
     * refuses before evaluating it (parse and type errors: {@code bad_data}) is Prometheus'
     * {@code invalid parameter "query"}.
     */
    private static <T> T evaluate(Supplier<T> query) {
        try {
            return query.get();
        } catch (QueryException e) {
            if (e.category() == QueryException.Category.BAD_DATA) {
                throw ApiException.invalidParameter("query", e.getMessage());
            }
            throw new ApiException(ErrorType.of(e.category()), e.getMessage(), e);
        }
    }

    /** Parses {@code query}; a failure is {@code invalid parameter "query": ...} or, unprefixed, its message. */
    static Expr parse(String query, boolean prefixed) {
        try {
            return PromQlParser.parse(query);
        } catch (ParseException e) {
            throw prefixed ? ApiException.invalidParameter("query", e.getMessage())
                    : ApiException.badData(e.getMessage());
        }
    }

    private static Duration timeout(RequestParams params) {
        return params.value("timeout").isEmpty() ? null : Duration.ofMillis(params.duration("timeout"));
    }

    private static Duration lookbackDelta(RequestParams params) {
        String text = params.value("lookback_delta");
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Duration.ofMillis(RequestParams.parseDurationMillis(text));
        } catch (IllegalArgumentException e) {
            throw ApiException.badData("error parsing lookback delta duration: " + e.getMessage());
        }
    }

    /** The label matchers of every vector selector in {@code expr} (Prometheus' {@code ExtractSelectors}). */
    private static void collectSelectors(Expr expr, List<List<LabelMatcher>> selectors) {
        if (expr instanceof Expr.VectorSelector selector) {
            selectors.add(selector.matchers());
        } else if (expr instanceof Expr.MatrixSelector matrix) {
            selectors.add(matrix.selector().matchers());
        } else if (expr instanceof Expr.SubqueryExpr subquery) {
            collectSelectors(subquery.expr(), selectors);
        } else if (expr instanceof Expr.Call call) {
            for (Expr arg : call.args()) {
                collectSelectors(arg, selectors);
            }
        } else if (expr instanceof Expr.AggregateExpr aggregate) {
            collectSelectors(aggregate.expr(), selectors);
            if (aggregate.param() != null) {
                collectSelectors(aggregate.param(), selectors);
            }
        } else if (expr instanceof Expr.BinaryExpr binary) {
            collectSelectors(binary.lhs(), selectors);
            collectSelectors(binary.rhs(), selectors);
        } else if (expr instanceof Expr.UnaryExpr unary) {
            collectSelectors(unary.expr(), selectors);
        } else if (expr instanceof Expr.ParenExpr paren) {
            collectSelectors(paren.expr(), selectors);
        }
    }

    private static void writeExemplars(JsonGenerator json, List<ExemplarSeries> exemplars) throws IOException {
        json.writeStartArray();
        for (ExemplarSeries series : exemplars) {
            json.writeStartObject();
            json.writeFieldName("seriesLabels");
            ResponseJson.writeLabels(json, series.seriesLabels());
            json.writeArrayFieldStart("exemplars");
            for (ExemplarSeries.Exemplar exemplar : series.exemplars()) {
                json.writeStartObject();
                json.writeFieldName("labels");
                ResponseJson.writeLabels(json, exemplar.labels());
                json.writeStringField("value", Numbers.format(exemplar.value()));
                json.writeFieldName("timestamp");
                ResponseJson.writeTimestamp(json, exemplar.timestampMillis());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
