package io.otelservices.storage.duckdb;

import static io.otelservices.storage.contract.StorageFixtures.BASE_NANOS;
import static io.otelservices.storage.contract.StorageFixtures.SECOND;
import static io.otelservices.storage.contract.StorageFixtures.gauge;
import static io.otelservices.storage.contract.StorageFixtures.log;
import static io.otelservices.storage.contract.StorageFixtures.point;
import static io.otelservices.storage.contract.StorageFixtures.span;
import static io.otelservices.storage.contract.StorageFixtures.spanId;
import static io.otelservices.storage.contract.StorageFixtures.traceId;
import static io.otelservices.storage.duckdb.StorageSql.count;
import static io.otelservices.storage.duckdb.StorageSql.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otelservices.model.LogRecord;
import io.otelservices.model.MetricPoint;
import io.otelservices.model.Span;
import io.otelservices.storage.LogQuery;
import io.otelservices.storage.MetricName;
import io.otelservices.storage.MetricSeries;
import io.otelservices.storage.SeriesQuery;
import io.otelservices.storage.ServiceStats;
import io.otelservices.storage.SeverityCount;
import io.otelservices.storage.TimeRange;
import io.otelservices.storage.TraceQuery;
import io.otelservices.storage.TraceSummary;
import io.otelservices.storage.WriteBatch;
import io.otelservices.storage.objectstore.ObjectInfo;
import io.otelservices.storage.objectstore.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cold tier: blocks move to an object store, stay queryable through the cache, are dropped by retention, and
 * survive crashes between the upload and the commit and between the commit and the local delete. Runs against each
 * kind of store ({@link LocalColdTierTest}, {@link S3ColdTierTest}).
 */
abstract class ColdTierTest {

    static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
    static final long HOUR = TimeUnit.HOURS.toNanos(1);
    static final long DAY = TimeUnit.DAYS.toNanos(1);
    private static final long CACHE_BYTES = 1L << 30;
    private static final TimeRange FIXTURE_RANGE = new TimeRange(BASE_NANOS - DAY, BASE_NANOS + 3 * DAY);
    /** A trace whose spans fall in two hours, so two blocks. */
    private static final int STRADDLING_TRACE = 99;

    @TempDir
    Path dataDirectory;

    private final SteppingClock clock = new SteppingClock(BASE_NANOS);
    private ObjectStore store;
    private long walSequence;

    /** A new, empty store for one test; the subclass closes it after the test. */
    protected abstract ObjectStore newStore();

    /** A store that cannot be reached. */
    protected abstract ObjectStore unreachableStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    private DuckDbStorage open() {
        return open(store, Duration.ofHours(1), CACHE_BYTES);
    }

    private DuckDbStorage open(ObjectStore objectStore, Duration coldAfter, long cacheBytes) {
        return DuckDbStorage.open(config().withBlocks(config().blocks().withColdAfter(coldAfter))
                .withColdTier(new DuckDbConfig.ColdTier(objectStore, cacheDirectory(), cacheBytes)));
    }

    private DuckDbConfig config() {
        return clock.config(dataDirectory);
    }

    private Path cacheDirectory() {
        return dataDirectory.resolve("cold-cache");
    }

    @Test
    void moveToCold_partitionsOlderThanColdAfter_uploadedAndQueriesAnswerTheSame() throws Exception {
        Answers hot;
        List<String> paths;
        try (DuckDbStorage storage = open()) {
            writeFixture(storage);
            hot = answers(storage);

            clock.set(BASE_NANOS + 2 * DAY);
            DuckDbStorage.MaintenanceReport report = storage.runMaintenance();

            paths = strings(storage, "SELECT Path FROM otel_blocks ORDER BY Path");
            assertThat(paths).isNotEmpty();
            assertThat(report.movedBlocks()).isEqualTo(paths.size());
            assertThat(count(storage, "SELECT count(*) FROM otel_blocks WHERE Tier <> 'cold'")).isZero();
            assertThat(objectKeys()).containsExactlyElementsOf(paths);
            assertThat(storage.coldBlockTotals()).isEqualTo(storage.blockTotals()).containsKeys("otel_traces",
                    "otel_logs", "otel_metrics_gauge");
            // The local files stay a while for queries that planned with them before the move.
            assertThat(blockFiles()).hasSize(paths.size());
            assertThat(answers(storage)).isEqualTo(hot);
        }
        try (DuckDbStorage storage = open()) {
            assertThat(blockFiles()).isEmpty();
            assertThat(answers(storage)).isEqualTo(hot);
            assertThat(objectKeys()).containsExactlyElementsOf(paths);
        }
    }

    @Test
    void query_spanningHotLocalAndColdBlocks_returnsEveryRow() throws Exception {
        try (DuckDbStorage storage = open(store, Duration.ofHours(2), CACHE_BYTES)) {
            List<Span> spans = new ArrayList<>();
            for (int hour : new int[] {0, 3, 5}) {
                spans.add(span(traceId(1), spanId(hour)).service("cart").name("op-" + hour)
                        .start(BASE_NANOS + hour * HOUR + MINUTE).build());
            }
            write(storage, new WriteBatch(spans, List.of(), List.of(), ++walSequence));
            TraceQuery cart = new TraceQuery(FIXTURE_RANGE, null, "cart", null, null, null, List.of(), 10);
            List<Span> trace = get(storage.traces().getTrace(traceId(1), TimeRange.ALL));
            List<TraceSummary> found = get(storage.traces().findTraces(cart));
            List<ServiceStats> stats = get(storage.traces().serviceStats(FIXTURE_RANGE));

            // Hour 0 ended 4 h 10 m ago: cold; hour 3 ended 1 h 10 m ago: local; hour 5 is still open: hot.
            clock.set(BASE_NANOS + 5 * HOUR + 10 * MINUTE);
            assertThat(storage.runMaintenance().movedBlocks()).isEqualTo(1);

            assertThat(strings(storage, "SELECT Tier FROM otel_blocks WHERE TableName = 'otel_traces' ORDER BY "
                    + "MinTime")).containsExactly("cold", "local");
            assertThat(count(storage, "SELECT count(*) FROM otel_traces")).isEqualTo(1);
            assertThat(get(storage.traces().getTrace(traceId(1), TimeRange.ALL))).hasSize(3).isEqualTo(trace);
            assertThat(get(storage.traces().findTraces(cart))).isEqualTo(found);
            assertThat(get(storage.traces().serviceStats(FIXTURE_RANGE))).isEqualTo(stats);
        }
    }

    @Test
    void retention_dropsColdPartitions_deletesTheirObjectsAndCacheCopies() throws Exception {
        List<String> kept;
        try (DuckDbStorage storage = open()) {
            writeFixture(storage);
            clock.set(BASE_NANOS + 2 * DAY);
            int moved = storage.runMaintenance().movedBlocks();
            answers(storage); // fills the cache
            assertThat(cachedFiles()).isNotEmpty();

            // Past the raw data's retention (30 days); rollups, where there are any, are kept longer.
            clock.set(BASE_NANOS + 40 * DAY);
            int dropped = storage.runMaintenance().droppedBlocks();

            kept = strings(storage, "SELECT Path FROM otel_blocks ORDER BY Path");
            assertThat(dropped).isPositive().isEqualTo(moved - kept.size());
            assertThat(kept).noneMatch(path -> path.startsWith("otel_traces/") || path.startsWith("otel_logs/"));
            assertThat(get(storage.traces().serviceStats(FIXTURE_RANGE))).isEmpty();
            // Kept a while for queries that planned with them before the drop; deleted at the latest on close.
            assertThat(objectKeys()).hasSize(moved);
        }
        assertThat(objectKeys()).containsExactlyElementsOf(kept);
        assertThat(cachedFiles()).map(file -> cacheDirectory().relativize(file).toString()).isSubsetOf(kept);
    }

    @Test
    void crashAfterUpload_beforeCommit_blocksStayLocalAndReadable_andMoveAtALaterRun() throws Exception {
        Answers hot;
        try (DuckDbStorage storage = open()) {
            writeFixture(storage);
            hot = answers(storage);
            storage.coldMover().uploadListener(block -> {
                throw new IllegalStateException("injected crash after uploading " + block.path());
            });
            clock.set(BASE_NANOS + 2 * DAY);

            assertThatThrownBy(storage::runMaintenance).hasMessageContaining("injected crash after uploading");

            assertThat(count(storage, "SELECT count(*) FROM otel_blocks WHERE Tier = 'cold'")).isZero();
            assertThat(blockFiles()).hasSize((int) count(storage, "SELECT count(*) FROM otel_blocks"));
            assertThat(objectKeys()).hasSize(1);
            assertThat(answers(storage)).isEqualTo(hot);
        }
        try (DuckDbStorage storage = open()) {
            assertThat(objectKeys()).as("uploaded, never committed: removed at start").isEmpty();
            assertThat(answers(storage)).isEqualTo(hot);

            assertThat(storage.runMaintenance().movedBlocks()).isPositive();
            assertThat(count(storage, "SELECT count(*) FROM otel_blocks WHERE Tier <> 'cold'")).isZero();
            assertThat(answers(storage)).isEqualTo(hot);
        }
    }

    @Test
    void crashAfterCommit_localFileLeftBehind_removedAtStart() throws Exception {
        Answers hot;
        String movedPath;
        try (DuckDbStorage storage = open()) {
            writeFixture(storage);
            hot = answers(storage);
            clock.set(BASE_NANOS + 2 * DAY);
            storage.runMaintenance();
            movedPath = strings(storage, "SELECT Path FROM otel_blocks WHERE TableName = 'otel_traces' ORDER BY "
                    + "MinTime").get(0);
        }
        // What a crash between the commit and the delayed delete leaves: the file of a block the catalog lists as
        // cold. Put one back in case the store deleted it on close.
        Path leftover = dataDirectory.resolve("blocks").resolve(movedPath);
        Files.createDirectories(leftover.getParent());
        store.get(movedPath, leftover);

        try (DuckDbStorage storage = open()) {
            assertThat(leftover).doesNotExist();
            assertThat(blockFiles()).isEmpty();
            assertThat(objectKeys()).contains(movedPath);
            assertThat(answers(storage)).isEqualTo(hot);
        }
    }

    @Test
    void storeUnreachable_maintenanceFails_blocksStayLocalAndReadable_andMoveOnceItIsBack() throws Exception {
        Answers hot;
        try (ObjectStore unreachable = unreachableStore();
             DuckDbStorage storage = open(unreachable, Duration.ofHours(1), CACHE_BYTES)) {
            writeFixture(storage);
            hot = answers(storage);
            clock.set(BASE_NANOS + 2 * DAY);

            assertThatThrownBy(storage::runMaintenance).isInstanceOf(DuckDbStorageException.class)
                    .hasMessageContaining("moving blocks to the cold tier failed after 0 blocks");

            long blocks = count(storage, "SELECT count(*) FROM otel_blocks");
            assertThat(blocks).as("sealed before the move failed").isPositive();
            assertThat(count(storage, "SELECT count(*) FROM otel_blocks WHERE Tier = 'local'")).isEqualTo(blocks);
            assertThat(count(storage, "SELECT count(*) FROM otel_traces")).isZero();
            assertThat(blockFiles()).hasSize((int) blocks);
            assertThat(answers(storage)).isEqualTo(hot);
        }
        try (DuckDbStorage storage = open()) {
            assertThat(storage.runMaintenance().movedBlocks()).isPositive();
            assertThat(answers(storage)).isEqualTo(hot);
        }
    }

    @Test
    void coldReads_cacheSmallerThanOneBlock_answer_andReleaseTheCopiesWhenTheQueryEnds() throws Exception {
        try (DuckDbStorage storage = open(store, Duration.ofHours(1), 1)) {
            writeFixture(storage);
            Answers hot = answers(storage);
            clock.set(BASE_NANOS + 2 * DAY);
            storage.runMaintenance();

            assertThat(answers(storage)).isEqualTo(hot);
            // Every copy was pinned while its query ran, over the budget, and evicted once it ended.
            assertThat(cachedFiles()).isEmpty();
        }
    }

    @Test
    void coldBlocks_withoutColdTierConfigured_failWithTheReason() throws Exception {
        try (DuckDbStorage storage = open()) {
            writeFixture(storage);
            clock.set(BASE_NANOS + 2 * DAY);
            storage.runMaintenance();
        }
        try (DuckDbStorage storage = DuckDbStorage.open(config())) {
            assertThatThrownBy(() -> get(storage.traces().serviceStats(FIXTURE_RANGE)))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(DuckDbStorageException.class)
                    .hasMessageContaining("is in the cold tier, but no cold tier is configured");
        }
    }

    // --- helpers

    /** What the queries of every signal answer over the fixture. */
    private record Answers(List<Span> trace, List<Span> straddlingTrace, List<TraceSummary> traces,
            List<ServiceStats> stats, List<String> services, List<LogRecord> logs, List<SeverityCount> severities,
            List<MetricSeries> series, List<MetricName> metricNames) {}

    private static Answers answers(DuckDbStorage storage) throws Exception {
        Answers answers = new Answers(
                get(storage.traces().getTrace(traceId(4), TimeRange.ALL)),
                get(storage.traces().getTrace(traceId(STRADDLING_TRACE), TimeRange.ALL)),
                get(storage.traces().findTraces(
                        new TraceQuery(FIXTURE_RANGE, null, "cart", null, null, null, List.of(), 100))),
                get(storage.traces().serviceStats(FIXTURE_RANGE)),
                get(storage.traces().serviceNames(FIXTURE_RANGE)),
                get(storage.logs().findLogs(new LogQuery(FIXTURE_RANGE, null, 0, null, null, List.of(), 1000, null)))
                        .records(),
                get(storage.logs().severityCounts(FIXTURE_RANGE)),
                get(storage.series().select(new SeriesQuery("requests", null, List.of(), FIXTURE_RANGE, 100, null))),
                get(storage.series().metricNames(null, FIXTURE_RANGE)));
        assertThat(answers.trace()).hasSize(3);
        assertThat(answers.straddlingTrace()).hasSize(2);
        assertThat(answers.logs()).hasSize(36);
        assertThat(answers.series()).isNotEmpty();
        return answers;
    }

    /** Spans, logs and gauge points every 5 minutes over three hours, two services; one trace spans two hours. */
    private void writeFixture(DuckDbStorage storage) throws Exception {
        List<Span> spans = new ArrayList<>();
        List<LogRecord> logs = new ArrayList<>();
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
            String service = i % 2 == 0 ? "checkout" : "cart";
            long time = BASE_NANOS + i * 5 * MINUTE;
            spans.add(span(traceId(i / 3), spanId(i)).service(service).name("op-" + (i % 4)).start(time)
                    .duration((i + 1) * 1_000_000L).build());
            logs.add(log(time + SECOND).service(service).severity(1 + i % 24).body("line " + i).build());
            points.add(point("requests", time, gauge(i)).service(service).build());
        }
        spans.add(span(traceId(STRADDLING_TRACE), spanId(100)).service("cart").start(BASE_NANOS + 55 * MINUTE)
                .build());
        spans.add(span(traceId(STRADDLING_TRACE), spanId(101)).parent(spanId(100)).service("cart")
                .start(BASE_NANOS + 65 * MINUTE).build());
        write(storage, new WriteBatch(spans, logs, points, ++walSequence));
    }

    private static void write(DuckDbStorage storage, WriteBatch batch) throws Exception {
        storage.writer().write(batch).get(30, TimeUnit.SECONDS);
    }

    private List<String> objectKeys() {
        return store.list("").stream().map(ObjectInfo::key).toList();
    }

    private List<Path> blockFiles() throws IOException {
        return files(dataDirectory.resolve("blocks"));
    }

    private List<Path> cachedFiles() throws IOException {
        return files(cacheDirectory());
    }

    private static List<Path> files(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }
}
