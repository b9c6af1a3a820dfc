package io.otelservices.storage.contract;

import static io.otelservices.storage.contract.StorageFixtures.BASE_NANOS;
import static io.otelservices.storage.contract.StorageFixtures.MILLI;
import static io.otelservices.storage.contract.StorageFixtures.SECOND;
import static io.otelservices.storage.contract.StorageFixtures.log;
import static io.otelservices.storage.contract.StorageFixtures.logs;
import static io.otelservices.storage.contract.StorageFixtures.spanId;
import static io.otelservices.storage.contract.StorageFixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import io.otelservices.model.LogRecord;
import io.otelservices.model.Severity;
import io.otelservices.storage.AttributeFilter;
import io.otelservices.storage.LogCursor;
import io.otelservices.storage.LogPage;
import io.otelservices.storage.LogQuery;
import io.otelservices.storage.SeverityCount;
import io.otelservices.storage.TimeRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What every backend must do with log records: round trip, filters, newest-first order and paging. */
public abstract class LogStoreContract extends StorageContract {

    private static final TimeRange DAY = new TimeRange(BASE_NANOS - 3_600 * SECOND, BASE_NANOS + 86_400 * SECOND);

    /** The order {@link LogQuery} defines (the fixtures use ASCII only, so UTF-16 and byte order agree). */
    private static final Comparator<LogRecord> NEWEST_FIRST = Comparator
            .comparingLong(LogRecord::timestampNanos).reversed()
            .thenComparing(LogRecord::serviceName)
            .thenComparing(LogRecord::traceId)
            .thenComparing(LogRecord::spanId)
            .thenComparing(LogRecord::body);

    @Test
    public void findLogs_everySeverityAndBodyShape_returnsEveryFieldAsWritten() {
        String[] bodies = {
            "plain text body",
            "{\"user\":\"alice\",\"cart\":{\"items\":3},\"ok\":true}",
            "[\"a\",1,2.5,null]",
            "Grüße, 世界 🌍 — naïve café",
            "",
            "line one\nline two\ttabbed \"quoted\" \\ backslash",
        };
        List<LogRecord> written = new ArrayList<>();
        for (int severity = 0; severity <= 24; severity++) {
            written.add(log(BASE_NANOS + severity * MILLI).severity(severity).body(bodies[severity % bodies.length])
                    .service(severity % 2 == 0 ? "checkout" : "payment").build());
        }
        written.add(log(BASE_NANOS + 30 * MILLI).trace("", "").body("no trace context").build());
        write(logs(1, written));

        LogPage page = await(backend().logs().findLogs(query().limit(1000).build()));

        assertThat(page.next()).isNull();
        assertThat(page.records()).usingRecursiveComparison(EXACTLY).isEqualTo(sorted(written));
    }

    @Test
    public void findLogs_byService_exactMatch() {
        write(logs(1, List.of(
                log(BASE_NANOS).service("checkout").build(),
                log(BASE_NANOS + 1).service("checkout-v2").build(),
                log(BASE_NANOS + 2).service("payment").build())));

        assertThat(findBodies(query().service("checkout"))).hasSize(1);
        assertThat(findServices(query().service("checkout"))).containsExactly("checkout");
        assertThat(findServices(query().service("payment"))).containsExactly("payment");
    }

    @Test
    public void findLogs_minSeverity_isInclusive() {
        List<LogRecord> written = new ArrayList<>();
        for (int severity = 0; severity <= 24; severity++) {
            written.add(log(BASE_NANOS + severity).severity(severity).body("s" + severity).build());
        }
        write(logs(1, written));

        assertThat(findSeverities(query().minSeverity(Severity.ERROR.lowestNumber())))
                .containsExactly(24, 23, 22, 21, 20, 19, 18, 17);
        assertThat(findSeverities(query().minSeverity(24))).containsExactly(24);
        assertThat(findSeverities(query().minSeverity(0))).hasSize(25);
        assertThat(findSeverities(query().minSeverity(1))).hasSize(24).doesNotContain(0);
    }

    @Test
    public void findLogs_searchText_caseInsensitiveSubstring() {
        write(logs(1, List.of(
                log(BASE_NANOS).body("Payment DECLINED for order 7731").build(),
                log(BASE_NANOS + 1).body("payment accepted").build(),
                log(BASE_NANOS + 2).body("refund declined").build())));

        assertThat(findBodies(query().search("declined")))
                .containsExactly("refund declined", "Payment DECLINED for order 7731");
        assertThat(findBodies(query().search("PAYMENT D"))).containsExactly("Payment DECLINED for order 7731");
        assertThat(findBodies(query().search("nothing like it"))).isEmpty();
    }

    @Test
    public void findLogs_searchTextWithLikeWildcards_matchedLiterally() {
        write(logs(1, List.of(
                log(BASE_NANOS).body("disk 100% full").build(),
                log(BASE_NANOS + 1).body("disk 1000 full").build(),
                log(BASE_NANOS + 2).body("user_id=7").build(),
                log(BASE_NANOS + 3).body("userXid=7").build(),
                log(BASE_NANOS + 4).body("path C:\\temp\\x").build())));

        assertThat(findBodies(query().search("100%"))).containsExactly("disk 100% full");
        assertThat(findBodies(query().search("%"))).containsExactly("disk 100% full");
        assertThat(findBodies(query().search("user_id"))).containsExactly("user_id=7");
        assertThat(findBodies(query().search("c:\\temp"))).containsExactly("path C:\\temp\\x");
    }

    @Test
    public void findLogs_byTraceId_exactMatch() {
        write(logs(1, List.of(
                log(BASE_NANOS).trace(traceId(1), spanId(1)).body("a").build(),
                log(BASE_NANOS + 1).trace(traceId(2), spanId(2)).body("b").build(),
                log(BASE_NANOS + 2).trace("", "").body("c").build())));

        assertThat(findBodies(query().traceId(traceId(2)))).containsExactly("b");
        assertThat(findBodies(query().traceId(traceId(3)))).isEmpty();
    }

    @Test
    public void findLogs_attributeOnRecordOrResource_matches() {
        write(logs(1, List.of(
                log(BASE_NANOS).service("checkout").attribute("order.id", "1").body("a").build(),
                log(BASE_NANOS + 1).service("payment").attribute("order.id", "2").body("b").build())));

        assertThat(findBodies(query().attribute("order.id", "2"))).containsExactly("b");
        assertThat(findBodies(query().attribute("k8s.pod.name", "checkout-7d9f8b6c5d-x2k4p")))
                .containsExactly("a");
        assertThat(findBodies(query().attribute("order.id", "2").attribute("service.name", "payment")))
                .containsExactly("b");
        assertThat(findBodies(query().attribute("order.id", "2").attribute("service.name", "checkout"))).isEmpty();
        assertThat(findBodies(query().attribute("order.id", "3"))).isEmpty();
    }

    @Test
    public void findLogs_timeRange_isHalfOpen() {
        write(logs(1, List.of(
                log(BASE_NANOS - 1).body("before").build(),
                log(BASE_NANOS).body("at start").build(),
                log(BASE_NANOS + SECOND - 1).body("last").build(),
                log(BASE_NANOS + SECOND).body("at end").build())));

        assertThat(findBodies(query().range(new TimeRange(BASE_NANOS, BASE_NANOS + SECOND))))
                .containsExactly("last", "at start");
    }

    @Test
    public void findLogs_limit_newestFirstWithCursor() {
        List<LogRecord> written = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            written.add(log(BASE_NANOS + i * SECOND).body("m" + i).build());
        }
        Collections.shuffle(written, new Random(1));
        write(logs(1, written));

        LogPage page = await(backend().logs().findLogs(query().limit(3).build()));

        assertThat(page.records()).extracting(LogRecord::body).containsExactly("m9", "m8", "m7");
        assertThat(page.next()).isEqualTo(new LogCursor(BASE_NANOS + 7 * SECOND, 1));
    }

    @Test
    public void findLogs_pageEndsExactlyAtLastRecord_noCursor() {
        write(logs(1, List.of(log(BASE_NANOS).body("a").build(), log(BASE_NANOS + 1).body("b").build())));

        assertThat(await(backend().logs().findLogs(query().limit(2).build())).next()).isNull();
        assertThat(await(backend().logs().findLogs(query().limit(1).build())).next()).isNotNull();
    }

    @Test
    public void findLogs_sameTimestamp_tieBrokenByServiceTraceSpanBody() {
        List<LogRecord> written = List.of(
                log(BASE_NANOS).service("b").trace(traceId(1), spanId(1)).body("x").build(),
                log(BASE_NANOS).service("a").trace(traceId(2), spanId(1)).body("x").build(),
                log(BASE_NANOS).service("a").trace(traceId(1), spanId(2)).body("x").build(),
                log(BASE_NANOS).service("a").trace(traceId(1), spanId(1)).body("y").build(),
                log(BASE_NANOS).service("a").trace(traceId(1), spanId(1)).body("x").build(),
                log(BASE_NANOS).service("a").trace("", "").body("z").build());
        write(logs(1, written));

        LogPage page = await(backend().logs().findLogs(query().build()));

        assertThat(page.records()).usingRecursiveComparison(EXACTLY).isEqualTo(sorted(written));
        assertThat(page.records().get(0).body()).isEqualTo("z");
    }

    @Test
    public void findLogs_pagingThroughTies_noOverlapNoGap() {
        // 25 records on 3 timestamps (10, 8 and 7 records), read 4 at a time: pages end inside each tie group.
        List<LogRecord> written = new ArrayList<>();
        long[] times = {BASE_NANOS + 3 * SECOND, BASE_NANOS + 2 * SECOND, BASE_NANOS + SECOND};
        int[] counts = {10, 8, 7};
        int n = 0;
        for (int t = 0; t < times.length; t++) {
            for (int i = 0; i < counts[t]; i++, n++) {
                written.add(log(times[t]).service(n % 3 == 0 ? "checkout" : "payment")
                        .trace(traceId(n % 4), spanId(n)).body("record " + n).build());
            }
        }
        Collections.shuffle(written, new Random(42));
        write(logs(1, written.subList(0, 12)), logs(2, written.subList(12, 25)));

        List<LogRecord> read = new ArrayList<>();
        List<LogCursor> cursors = new ArrayList<>();
        LogCursor cursor = null;
        int pages = 0;
        do {
            LogPage page = await(backend().logs().findLogs(query().limit(4).after(cursor).build()));
            pages++;
            assertThat(page.records()).as("page %d", pages).isNotEmpty().hasSizeLessThanOrEqualTo(4);
            read.addAll(page.records());
            cursor = page.next();
            cursors.add(cursor);
        } while (cursor != null && pages < 20);

        assertThat(pages).isEqualTo(7);
        assertThat(read).usingRecursiveComparison(EXACTLY).isEqualTo(sorted(written));
        assertThat(cursors.get(0)).isEqualTo(new LogCursor(BASE_NANOS + 3 * SECOND, 4));
        assertThat(cursors.get(2)).isEqualTo(new LogCursor(BASE_NANOS + 2 * SECOND, 2));
    }

    @Test
    public void findLogs_pagingWithFilter_cursorCountsOnlyMatches() {
        List<LogRecord> written = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            written.add(log(BASE_NANOS).service(i % 2 == 0 ? "checkout" : "payment")
                    .trace(traceId(i), spanId(i)).severity(i < 6 ? 17 : 9).body("r" + i).build());
        }
        write(logs(1, written));

        List<LogRecord> expected = sorted(written.stream()
                .filter(r -> r.serviceName().equals("checkout") && r.severityNumber() >= 17).toList());
        List<LogRecord> read = new ArrayList<>();
        LogCursor cursor = null;
        do {
            LogPage page = await(backend().logs().findLogs(
                    query().service("checkout").minSeverity(17).limit(2).after(cursor).build()));
            read.addAll(page.records());
            cursor = page.next();
        } while (cursor != null && read.size() < 50);

        assertThat(read).usingRecursiveComparison(EXACTLY).isEqualTo(expected);
    }

    @Test
    public void findLogs_nothingMatches_emptyPageWithoutCursor() {
        write(logs(1, List.of(log(BASE_NANOS).build())));

        LogPage page = await(backend().logs().findLogs(query().service("nobody").build()));

        assertThat(page.records()).isEmpty();
        assertThat(page.next()).isNull();
    }

    @Test
    public void severityCounts_inRange_countedPerServiceAndSeverity() {
        write(logs(1, List.of(
                log(BASE_NANOS).service("payment").severity(17).build(),
                log(BASE_NANOS + 1).service("payment").severity(17).build(),
                log(BASE_NANOS + 2).service("payment").severity(9).build(),
                log(BASE_NANOS + 3).service("checkout").severity(13).build(),
                log(BASE_NANOS + 4).service("checkout").severity(0).build(),
                log(BASE_NANOS + 5).service("auth").severity(21).build(),
                log(BASE_NANOS - 7_200 * SECOND).service("auth").severity(21).build(),
                log(BASE_NANOS + 86_400 * SECOND).service("zeta").severity(1).build())));

        assertThat(await(backend().logs().severityCounts(DAY))).containsExactly(
                new SeverityCount("auth", 21, 1),
                new SeverityCount("checkout", 0, 1),
                new SeverityCount("checkout", 13, 1),
                new SeverityCount("payment", 9, 1),
                new SeverityCount("payment", 17, 2));
        assertThat(await(backend().logs().severityCounts(new TimeRange(0, 1)))).isEmpty();
    }

    // --- helpers

    private static List<LogRecord> sorted(List<LogRecord> records) {
        List<LogRecord> copy = new ArrayList<>(records);
        copy.sort(NEWEST_FIRST);
        return copy;
    }

    private List<String> findBodies(QueryBuilder query) {
        return find(query).stream().map(LogRecord::body).toList();
    }

    private List<String> findServices(QueryBuilder query) {
        return find(query).stream().map(LogRecord::serviceName).toList();
    }

    private List<Integer> findSeverities(QueryBuilder query) {
        return find(query).stream().map(LogRecord::severityNumber).toList();
    }

    private List<LogRecord> find(QueryBuilder query) {
        LogPage page = await(backend().logs().findLogs(query.build()));
        assertThat(page.next()).as("next page of a query expected to fit on one page").isNull();
        return page.records();
    }

    private static QueryBuilder query() {
        return new QueryBuilder();
    }

    /** A {@link LogQuery} over a day around the fixtures, limit 100, no filters. */
    private static final class QueryBuilder {
        private TimeRange range = DAY;
        private String serviceName;
        private int minSeverity;
        private String searchText;
        private String traceId;
        private final List<AttributeFilter> attributes = new ArrayList<>();
        private int limit = 100;
        private LogCursor after;

        QueryBuilder range(TimeRange range) {
            this.range = range;
            return this;
        }

        QueryBuilder service(String serviceName) {
            this.serviceName = serviceName;
            return this;
        }

        QueryBuilder minSeverity(int minSeverity) {
            this.minSeverity = minSeverity;
            return this;
        }

        QueryBuilder search(String searchText) {
            this.searchText = searchText;
            return this;
        }

        QueryBuilder traceId(String traceId) {
            this.traceId = traceId;
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

        QueryBuilder after(LogCursor after) {
            this.after = after;
            return this;
        }

        LogQuery build() {
            return new LogQuery(range, serviceName, minSeverity, searchText, traceId, attributes, limit, after);
        }
    }
}
