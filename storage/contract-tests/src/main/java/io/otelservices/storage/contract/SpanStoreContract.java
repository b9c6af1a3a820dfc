package io.otelservices.storage.contract;

import static io.otelservices.storage.contract.StorageFixtures.BASE_NANOS;
import static io.otelservices.storage.contract.StorageFixtures.MILLI;
import static io.otelservices.storage.contract.StorageFixtures.SECOND;
import static io.otelservices.storage.contract.StorageFixtures.span;
import static io.otelservices.storage.contract.StorageFixtures.spanId;
import static io.otelservices.storage.contract.StorageFixtures.spans;
import static io.otelservices.storage.contract.StorageFixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import io.otelservices.model.Span;
import io.otelservices.storage.AttributeFilter;
import io.otelservices.storage.ServiceStats;
import io.otelservices.storage.TimeRange;
import io.otelservices.storage.TraceQuery;
import io.otelservices.storage.TraceSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What every backend must do with spans: round trip, trace lookup, trace search and span statistics. */
public abstract class SpanStoreContract extends StorageContract {

    private static final TimeRange DAY = new TimeRange(BASE_NANOS - 3_600 * SECOND, BASE_NANOS + 86_400 * SECOND);

    // --- getTrace

    @Test
    public void getTrace_afterWrite_returnsEveryFieldAsWritten() {
        Span root = span(traceId(1), spanId(1)).build();
        Span child = span(traceId(1), spanId(2)).parent(spanId(1)).service("payment").name("charge card")
                .kind(Span.SpanKind.CLIENT).start(BASE_NANOS + 3 * MILLI).duration(40 * MILLI)
                .error("card declined").build();
        Span bare = new Span(BASE_NANOS + 4 * MILLI, traceId(1), spanId(3), spanId(2), "", 0, "", "", "",
                null, null, Map.of(), 0, 0, "", "", List.of(), 0, List.of(), 0);
        write(spans(1, child, bare, root));

        List<Span> trace = await(backend().traces().getTrace(traceId(1), TimeRange.ALL));

        assertThat(trace).usingRecursiveComparison(EXACTLY).isEqualTo(List.of(root, child, bare));
    }

    @Test
    public void getTrace_unknownId_returnsEmptyList() {
        write(spans(1, span(traceId(1), spanId(1)).build()));

        assertThat(await(backend().traces().getTrace(traceId(2), TimeRange.ALL))).isEmpty();
    }

    @Test
    public void getTrace_spansOutOfOrder_sortedByStartThenSpanId() {
        List<Span> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            // Pairs of spans share a start time; within a pair the span id decides.
            expected.add(span(traceId(1), spanId(i)).parent(i == 0 ? "" : spanId(0))
                    .start(BASE_NANOS + (i / 2) * MILLI).build());
        }
        List<Span> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(7));
        write(spans(1, shuffled.subList(0, 5)), spans(2, shuffled.subList(5, 12)));

        List<Span> trace = await(backend().traces().getTrace(traceId(1), TimeRange.ALL));

        assertThat(trace).extracting(Span::spanId).containsExactlyElementsOf(
                expected.stream().map(Span::spanId).toList());
        assertThat(trace).usingRecursiveComparison(EXACTLY).isEqualTo(expected);
    }

    @Test
    public void getTrace_hintExcludesSomeSpans_stillReturnsAll() {
        write(spans(1,
                span(traceId(1), spanId(1)).start(BASE_NANOS).build(),
                span(traceId(1), spanId(2)).parent(spanId(1)).start(BASE_NANOS + 10 * SECOND).build()));

        List<Span> trace = await(backend().traces().getTrace(traceId(1),
                new TimeRange(BASE_NANOS + 5 * SECOND, BASE_NANOS + 20 * SECOND)));

        assertThat(trace).extracting(Span::spanId).containsExactly(spanId(1), spanId(2));
    }

    // --- findTraces: filters one by one

    @Test
    public void findTraces_byServiceName_returnsTracesWithASpanOfThatService() {
        write(spans(1,
                span(traceId(1), spanId(1)).service("frontend").build(),
                span(traceId(1), spanId(2)).parent(spanId(1)).service("payment").build(),
                span(traceId(2), spanId(3)).service("frontend").build()));

        assertThat(findTraceIds(query().serviceName("payment"))).containsExactly(traceId(1));
        assertThat(findTraceIds(query().serviceName("frontend"))).containsExactlyInAnyOrder(traceId(1), traceId(2));
        assertThat(findTraceIds(query().serviceName("Payment"))).isEmpty();
    }

    @Test
    public void findTraces_bySpanName_matchesExactName() {
        write(spans(1,
                span(traceId(1), spanId(1)).name("GET /cart").build(),
                span(traceId(2), spanId(2)).name("GET /cart/items").build()));

        assertThat(findTraceIds(query().spanName("GET /cart"))).containsExactly(traceId(1));
    }

    @Test
    public void findTraces_minDuration_isInclusive() {
        write(spans(1,
                span(traceId(1), spanId(1)).duration(100 * MILLI - 1).build(),
                span(traceId(2), spanId(2)).duration(100 * MILLI).build(),
                span(traceId(3), spanId(3)).duration(100 * MILLI + 1).build()));

        assertThat(findTraceIds(query().minDuration(100 * MILLI)))
                .containsExactlyInAnyOrder(traceId(2), traceId(3));
    }

    @Test
    public void findTraces_maxDuration_isInclusive() {
        write(spans(1,
                span(traceId(1), spanId(1)).duration(100 * MILLI - 1).build(),
                span(traceId(2), spanId(2)).duration(100 * MILLI).build(),
                span(traceId(3), spanId(3)).duration(100 * MILLI + 1).build()));

        assertThat(findTraceIds(query().maxDuration(100 * MILLI)))
                .containsExactlyInAnyOrder(traceId(1), traceId(2));
        assertThat(findTraceIds(query().minDuration(100 * MILLI).maxDuration(100 * MILLI)))
                .containsExactly(traceId(2));
    }

    @Test
    public void findTraces_filtersOnDifferentSpans_noMatch() {
        // The service and the duration each match a span, but not the same span.
        write(spans(1,
                span(traceId(1), spanId(1)).service("frontend").duration(10 * MILLI).build(),
                span(traceId(1), spanId(2)).parent(spanId(1)).service("payment").duration(500 * MILLI).build()));

        assertThat(findTraceIds(query().serviceName("frontend").minDuration(100 * MILLI))).isEmpty();
        assertThat(findTraceIds(query().serviceName("payment").minDuration(100 * MILLI)))
                .containsExactly(traceId(1));
    }

    @Test
    public void findTraces_attributeOnSpan_matches() {
        write(spans(1,
                span(traceId(1), spanId(1)).attribute("http.response.status_code", "500").build(),
                span(traceId(2), spanId(2)).build()));

        assertThat(findTraceIds(query().attribute("http.response.status_code", "500")))
                .containsExactly(traceId(1));
        assertThat(findTraceIds(query().attribute("http.response.status_code", "200")))
                .containsExactly(traceId(2));
    }

    @Test
    public void findTraces_attributeOnResource_matches() {
        write(spans(1,
                span(traceId(1), spanId(1)).service("frontend").build(),
                span(traceId(2), spanId(2)).service("payment").build()));

        assertThat(findTraceIds(query().attribute("k8s.pod.name", "payment-7d9f8b6c5d-x2k4p")))
                .containsExactly(traceId(2));
        assertThat(findTraceIds(query().attribute("service.name", "frontend"))).containsExactly(traceId(1));
    }

    @Test
    public void findTraces_attributeAbsentOrDifferent_noMatch() {
        write(spans(1, span(traceId(1), spanId(1)).build()));

        assertThat(findTraceIds(query().attribute("http.route", "/api/other"))).isEmpty();
        assertThat(findTraceIds(query().attribute("no.such.key", ""))).isEmpty();
        // Keys and values compare exactly: no prefix or case-insensitive matching.
        assertThat(findTraceIds(query().attribute("http.route", "/api/"))).isEmpty();
        assertThat(findTraceIds(query().attribute("HTTP.ROUTE", "/api/checkout"))).isEmpty();
    }

    @Test
    public void findTraces_twoAttributes_mustHoldOnOneSpan() {
        write(spans(1,
                span(traceId(1), spanId(1)).attribute("a", "1").build(),
                span(traceId(1), spanId(2)).parent(spanId(1)).attribute("b", "2").build(),
                span(traceId(2), spanId(3)).attribute("a", "1").attribute("b", "2").build()));

        assertThat(findTraceIds(query().attribute("a", "1").attribute("b", "2"))).containsExactly(traceId(2));
        // One on the span, one on its resource, is one span satisfying both.
        assertThat(findTraceIds(query().attribute("a", "1").attribute("host.name",
                "node-7.eu-west-1.compute.internal"))).containsExactlyInAnyOrder(traceId(1), traceId(2));
    }

    @Test
    public void findTraces_byTraceId_returnsOnlyThatTrace() {
        write(spans(1,
                span(traceId(1), spanId(1)).build(),
                span(traceId(2), spanId(2)).build()));

        assertThat(findTraceIds(query().traceId(traceId(2)))).containsExactly(traceId(2));
        assertThat(findTraceIds(query().traceId(traceId(3)))).isEmpty();
    }

    @Test
    public void findTraces_timeRange_isHalfOpen() {
        long start = BASE_NANOS;
        long end = BASE_NANOS + 10 * SECOND;
        write(spans(1,
                span(traceId(1), spanId(1)).start(start - 1).build(),
                span(traceId(2), spanId(2)).start(start).build(),
                span(traceId(3), spanId(3)).start(end - 1).build(),
                span(traceId(4), spanId(4)).start(end).build()));

        assertThat(findTraceIds(query().range(new TimeRange(start, end))))
                .containsExactlyInAnyOrder(traceId(2), traceId(3));
    }

    @Test
    public void findTraces_limit_returnsNewestFirst() {
        List<Span> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(span(traceId(i), spanId(i)).start(BASE_NANOS + i * SECOND).build());
        }
        Collections.shuffle(all, new Random(3));
        write(spans(1, all));

        assertThat(findTraceIds(query().limit(3))).containsExactly(traceId(5), traceId(4), traceId(3));
        assertThat(findTraceIds(query().limit(100)))
                .containsExactly(traceId(5), traceId(4), traceId(3), traceId(2), traceId(1), traceId(0));
    }

    @Test
    public void findTraces_order_isLatestMatchingSpanStart() {
        // Trace 1 starts first but its matching span is the newest one.
        write(spans(1,
                span(traceId(1), spanId(1)).start(BASE_NANOS).service("frontend").build(),
                span(traceId(1), spanId(2)).parent(spanId(1)).start(BASE_NANOS + 9 * SECOND).service("db").build(),
                span(traceId(2), spanId(3)).start(BASE_NANOS + 5 * SECOND).service("db").build(),
                span(traceId(2), spanId(4)).parent(spanId(3)).start(BASE_NANOS + 20 * SECOND)
                        .service("frontend").build()));

        assertThat(findTraceIds(query().serviceName("db"))).containsExactly(traceId(1), traceId(2));
        assertThat(findTraceIds(query().serviceName("frontend"))).containsExactly(traceId(2), traceId(1));
    }

    @Test
    public void findTraces_summary_coversAllSpansOfTheTrace() {
        write(spans(1,
                span(traceId(1), spanId(1)).service("frontend").name("GET /checkout")
                        .start(BASE_NANOS).duration(100 * MILLI).build(),
                span(traceId(1), spanId(2)).parent(spanId(1)).service("payment").name("charge")
                        .start(BASE_NANOS + 10 * MILLI).duration(30 * MILLI).error("declined").build(),
                // ends after the root: the trace's duration runs to here
                span(traceId(1), spanId(3)).parent(spanId(1)).service("mailer").name("send receipt")
                        .start(BASE_NANOS + 90 * MILLI).duration(60 * MILLI).kind(Span.SpanKind.PRODUCER).build(),
                span(traceId(1), spanId(4)).parent(spanId(2)).service("db").name("INSERT payments")
                        .start(BASE_NANOS + 12 * MILLI).duration(5 * MILLI).error("deadlock").build()));

        List<TraceSummary> found = await(backend().traces().findTraces(query().serviceName("db").build()));

        assertThat(found).containsExactly(new TraceSummary(traceId(1), "frontend", "GET /checkout", BASE_NANOS,
                150 * MILLI, 4, 2));
        assertThat(found.get(0).hasError()).isTrue();
    }

    @Test
    public void findTraces_spansOutsideRange_stillCountInSummary() {
        write(spans(1,
                span(traceId(1), spanId(1)).service("frontend").name("root").start(BASE_NANOS - 60 * SECOND)
                        .duration(2 * SECOND).build(),
                span(traceId(1), spanId(2)).parent(spanId(1)).service("worker").name("late job")
                        .start(BASE_NANOS + 60 * SECOND).duration(SECOND).build()));

        List<TraceSummary> found = await(backend().traces().findTraces(
                query().range(new TimeRange(BASE_NANOS, BASE_NANOS + 3_600 * SECOND)).build()));

        assertThat(found).containsExactly(new TraceSummary(traceId(1), "frontend", "root",
                BASE_NANOS - 60 * SECOND, 121 * SECOND, 2, 0));
    }

    @Test
    public void findTraces_noRootSpanStored_summaryUsesEarliestSpan() {
        write(spans(1,
                span(traceId(1), spanId(5)).parent(spanId(9)).service("inventory").name("reserve")
                        .start(BASE_NANOS + 5 * MILLI).build(),
                span(traceId(1), spanId(4)).parent(spanId(9)).service("pricing").name("quote")
                        .start(BASE_NANOS + 2 * MILLI).build()));

        List<TraceSummary> found = await(backend().traces().findTraces(query().build()));

        assertThat(found).singleElement().satisfies(summary -> {
            assertThat(summary.rootServiceName()).isEqualTo("pricing");
            assertThat(summary.rootSpanName()).isEqualTo("quote");
            assertThat(summary.startNanos()).isEqualTo(BASE_NANOS + 2 * MILLI);
            assertThat(summary.spanCount()).isEqualTo(2);
            assertThat(summary.errorCount()).isZero();
            assertThat(summary.hasError()).isFalse();
        });
    }

    @Test
    public void findTraces_rootSpanStartsAfterChild_rootStillChosen() {
        // Clock skew: the child started before its root; the root is still the span without a parent.
        write(spans(1,
                span(traceId(1), spanId(1)).service("frontend").name("root").start(BASE_NANOS + 5 * MILLI).build(),
                span(traceId(1), spanId(2)).parent(spanId(1)).service("db").name("query").start(BASE_NANOS)
                        .build()));

        assertThat(await(backend().traces().findTraces(query().build())))
                .singleElement().satisfies(summary -> {
                    assertThat(summary.rootServiceName()).isEqualTo("frontend");
                    assertThat(summary.rootSpanName()).isEqualTo("root");
                    assertThat(summary.startNanos()).isEqualTo(BASE_NANOS);
                });
    }

    @Test
    public void findTraces_nothingMatches_returnsEmptyList() {
        write(spans(1, span(traceId(1), spanId(1)).build()));

        assertThat(findTraceIds(query().serviceName("nobody"))).isEmpty();
        assertThat(await(backend().traces().findTraces(query().build()))).hasSize(1);
    }

    // --- statistics and names

    @Test
    public void serviceStats_knownDurations_nearestRankPercentiles() {
        List<Span> all = new ArrayList<>();
        // checkout: 20 spans of 1..20 ms: p50 = 10 ms, p95 = 19 ms, p99 = 20 ms (ranks 10, 19 and 20).
        for (int i = 1; i <= 20; i++) {
            var builder = span(traceId(i), spanId(i)).service("checkout").name(i % 2 == 0 ? "b-op" : "a-op")
                    .duration(i * MILLI).start(BASE_NANOS + i * SECOND);
            all.add((i % 7 == 0 ? builder.error("boom") : builder).build());
        }
        // auth: 7 spans: p50 = rank 4 (40), p95 = rank 7 (1000), p99 = rank 7.
        long[] authDurations = {70, 10, 1000, 40, 20, 30, 50};
        for (int i = 0; i < authDurations.length; i++) {
            all.add(span(traceId(100 + i), spanId(100 + i)).service("auth").name("login")
                    .duration(authDurations[i] * MILLI).build());
        }
        // single: one span is every percentile.
        all.add(span(traceId(200), spanId(200)).service("single").name("only").duration(3 * MILLI).build());
        Collections.shuffle(all, new Random(11));
        write(spans(1, all));

        List<ServiceStats> stats = await(backend().traces().serviceStats(DAY));

        assertThat(stats).containsExactly(
                new ServiceStats("auth", 7, 0, 40 * MILLI, 1000 * MILLI, 1000 * MILLI, List.of("login")),
                new ServiceStats("checkout", 20, 2, 10 * MILLI, 19 * MILLI, 20 * MILLI, List.of("a-op", "b-op")),
                new ServiceStats("single", 1, 0, 3 * MILLI, 3 * MILLI, 3 * MILLI, List.of("only")));
    }

    @Test
    public void serviceStats_hundredSpans_percentilesAtExactRanks() {
        List<Span> all = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            all.add(span(traceId(i), spanId(i)).service("api").duration(i * 1000L).build());
        }
        Collections.shuffle(all, new Random(5));
        write(spans(1, all));

        assertThat(await(backend().traces().serviceStats(DAY))).singleElement().satisfies(stats -> {
            assertThat(stats.p50DurationNanos()).isEqualTo(50_000);
            assertThat(stats.p95DurationNanos()).isEqualTo(95_000);
            assertThat(stats.p99DurationNanos()).isEqualTo(99_000);
        });
    }

    @Test
    public void serviceStats_spansOutsideRange_notCounted() {
        write(spans(1,
                span(traceId(1), spanId(1)).service("api").start(BASE_NANOS).duration(MILLI).build(),
                span(traceId(2), spanId(2)).service("api").start(BASE_NANOS + SECOND).duration(9 * MILLI)
                        .error("x").build(),
                span(traceId(3), spanId(3)).service("old").start(BASE_NANOS - SECOND).build()));

        List<ServiceStats> stats = await(backend().traces().serviceStats(
                new TimeRange(BASE_NANOS, BASE_NANOS + SECOND)));

        assertThat(stats).containsExactly(
                new ServiceStats("api", 1, 0, MILLI, MILLI, MILLI, List.of("POST /api/checkout")));
        assertThat(await(backend().traces().serviceStats(new TimeRange(0, 1)))).isEmpty();
    }

    @Test
    public void serviceNames_inRange_distinctAndSorted() {
        write(spans(1,
                span(traceId(1), spanId(1)).service("payment").build(),
                span(traceId(1), spanId(2)).service("auth").build(),
                span(traceId(2), spanId(3)).service("payment").build(),
                span(traceId(3), spanId(4)).service("Zebra").build(),
                span(traceId(4), spanId(5)).service("archived").start(BASE_NANOS - 7_200 * SECOND).build()));

        assertThat(await(backend().traces().serviceNames(DAY))).containsExactly("Zebra", "auth", "payment");
        assertThat(await(backend().traces().serviceNames(TimeRange.ALL)))
                .containsExactly("Zebra", "archived", "auth", "payment");
    }

    @Test
    public void spanNames_ofService_distinctAndSorted() {
        write(spans(1,
                span(traceId(1), spanId(1)).service("api").name("GET /b").build(),
                span(traceId(1), spanId(2)).service("api").name("GET /a").build(),
                span(traceId(2), spanId(3)).service("api").name("GET /b").build(),
                span(traceId(2), spanId(4)).service("db").name("SELECT").build(),
                span(traceId(3), spanId(5)).service("api").name("GET /old").start(BASE_NANOS - 7_200 * SECOND)
                        .build()));

        assertThat(await(backend().traces().spanNames("api", DAY))).containsExactly("GET /a", "GET /b");
        assertThat(await(backend().traces().spanNames("nobody", DAY))).isEmpty();
    }

    // --- helpers

    private List<String> findTraceIds(QueryBuilder query) {
        return await(backend().traces().findTraces(query.build())).stream().map(TraceSummary::traceId).toList();
    }

    private static QueryBuilder query() {
        return new QueryBuilder();
    }

    /** A {@link TraceQuery} over a day around the fixtures, limit 20, no filters. */
    private static final class QueryBuilder {
        private TimeRange range = DAY;
        private String traceId;
        private String serviceName;
        private String spanName;
        private Long minDuration;
        private Long maxDuration;
        private final List<AttributeFilter> attributes = new ArrayList<>();
        private int limit = 20;

        QueryBuilder range(TimeRange range) {
            this.range = range;
            return this;
        }

        QueryBuilder traceId(String traceId) {
            this.traceId = traceId;
            return this;
        }

        QueryBuilder serviceName(String serviceName) {
            this.serviceName = serviceName;
            return this;
        }

        QueryBuilder spanName(String spanName) {
            this.spanName = spanName;
            return this;
        }

        QueryBuilder minDuration(long nanos) {
            this.minDuration = nanos;
            return this;
        }

        QueryBuilder maxDuration(long nanos) {
            this.maxDuration = nanos;
            return this;
        }

        QueryBuilder attribute(String key, String value) {
            attributes.add(new AttributeFilter(key, value));
            return this;
        }

        QueryBuilder limit(int limit) {
            this.limit = limit;
            return this;
        }

        TraceQuery build() {
            return new TraceQuery(range, traceId, serviceName, spanName, minDuration, maxDuration, attributes, limit);
        }
    }
}
