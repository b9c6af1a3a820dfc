package io.otelservices.storage.duckdb;

import static io.otelservices.storage.contract.StorageFixtures.BASE_NANOS;
import static io.otelservices.storage.contract.StorageFixtures.SECOND;
import static io.otelservices.storage.contract.StorageFixtures.span;
import static io.otelservices.storage.contract.StorageFixtures.spanId;
import static io.otelservices.storage.contract.StorageFixtures.spans;
import static io.otelservices.storage.contract.StorageFixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import io.otelservices.model.Span;
import io.otelservices.storage.ServiceDependency;
import io.otelservices.storage.TimeRange;
import io.otelservices.storage.contract.StorageFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the contract suite cannot set up: sealed and hot hours in one query, late rows of a sealed hour, and the
 * hour arithmetic at the ends of the time line.
 */
class DuckDbDependencyReaderTest {

    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final TimeRange DAY = new TimeRange(BASE_NANOS, BASE_NANOS + 24 * HOUR);

    @TempDir
    Path dataDirectory;

    private final SteppingClock clock = new SteppingClock(BASE_NANOS);
    private long walSequence;

    private DuckDbStorage open() {
        return DuckDbStorage.open(clock.config(dataDirectory));
    }

    /** A frontend span calling checkout (failing or not) at {@code startNanos}, in a trace of its own. */
    private void writeCall(DuckDbStorage storage, int trace, long startNanos, boolean failing) {
        Span parent = span(traceId(trace), spanId(2 * trace)).service("frontend").start(startNanos - SECOND).build();
        StorageFixtures.SpanBuilder child = span(traceId(trace), spanId(2 * trace + 1)).parent(spanId(2 * trace))
                .service("checkout").start(startNanos);
        if (failing) {
            child.error("timeout");
        }
        storage.writer().write(spans(++walSequence, parent, child.build())).join();
    }

    private static List<ServiceDependency> dependencies(DuckDbStorage storage, TimeRange range) {
        return storage.dependencies().dependencies(range).join();
    }

    @Test
    void dependencies_sealedHourHotHourAndLateRows_eachCallCountedOnce() throws Exception {
        try (DuckDbStorage storage = open()) {
            writeCall(storage, 1, BASE_NANOS + 10 * MINUTE, false);
            writeCall(storage, 2, BASE_NANOS + 20 * MINUTE, true);
            writeCall(storage, 3, BASE_NANOS + HOUR + 10 * MINUTE, false);
            clock.set(BASE_NANOS + HOUR + 30 * MINUTE); // hour 0 is past its grace, hour 1 is open
            storage.runMaintenance();
            assertThat(StorageSql.count(storage, "SELECT count(*) FROM otel_blocks WHERE TableName = '"
                    + Rollups.DEPENDENCIES_1H + "'")).isEqualTo(1);
            assertThat(StorageSql.count(storage, "SELECT count(*) FROM otel_traces")).isEqualTo(2);

            assertThat(dependencies(storage, DAY)).containsExactly(new ServiceDependency("frontend", "checkout", 3, 1));

            // A late call in the sealed hour stays hot until the next run, then has a rollup block of its own.
            writeCall(storage, 4, BASE_NANOS + 30 * MINUTE, true);
            assertThat(dependencies(storage, DAY)).containsExactly(new ServiceDependency("frontend", "checkout", 4, 2));
            storage.runMaintenance();
            assertThat(StorageSql.count(storage, "SELECT count(*) FROM otel_traces")).isEqualTo(2);
            assertThat(dependencies(storage, DAY)).containsExactly(new ServiceDependency("frontend", "checkout", 4, 2));
            assertThat(dependencies(storage, new TimeRange(BASE_NANOS, BASE_NANOS + HOUR)))
                    .containsExactly(new ServiceDependency("frontend", "checkout", 3, 2));
            assertThat(dependencies(storage, new TimeRange(BASE_NANOS + 15 * MINUTE, BASE_NANOS + 90 * MINUTE)))
                    .containsExactly(new ServiceDependency("frontend", "checkout", 3, 2));
        }
    }

    @Test
    void dependencies_childSealedAfterItsParent_missingFromWholeHoursOnly() throws Exception {
        try (DuckDbStorage storage = open()) {
            Span parent = span(traceId(1), spanId(1)).service("frontend").start(BASE_NANOS + 10 * MINUTE).build();
            Span child = span(traceId(1), spanId(2)).parent(spanId(1)).service("checkout")
                    .start(BASE_NANOS + 11 * MINUTE).build();
            storage.writer().write(spans(++walSequence, parent)).join();
            clock.set(BASE_NANOS + HOUR + 30 * MINUTE);
            storage.runMaintenance();
            storage.writer().write(spans(++walSequence, child)).join();
            storage.runMaintenance();

            // The documented limit: each sealing run rolls up only the rows it seals. Raw spans still pair them.
            assertThat(dependencies(storage, DAY)).isEmpty();
            assertThat(dependencies(storage, new TimeRange(BASE_NANOS + MINUTE, BASE_NANOS + HOUR)))
                    .containsExactly(new ServiceDependency("frontend", "checkout", 1, 0));
        }
    }

    @Test
    void hourBounds_atTheEndsOfTheTimeLine_saturate() {
        assertThat(DuckDbDependencyReader.floorHour(BASE_NANOS + 1)).isEqualTo(BASE_NANOS);
        assertThat(DuckDbDependencyReader.ceilHour(BASE_NANOS + 1)).isEqualTo(BASE_NANOS + HOUR);
        assertThat(DuckDbDependencyReader.ceilHour(BASE_NANOS)).isEqualTo(BASE_NANOS);
        assertThat(DuckDbDependencyReader.floorHour(-1)).isEqualTo(-HOUR);
        assertThat(DuckDbDependencyReader.ceilHour(-1)).isEqualTo(0);
        assertThat(DuckDbDependencyReader.floorHour(Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(DuckDbDependencyReader.ceilHour(Long.MIN_VALUE)).isEqualTo(
                Long.MIN_VALUE + HOUR - Math.floorMod(Long.MIN_VALUE, HOUR));
        assertThat(DuckDbDependencyReader.ceilHour(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(DuckDbDependencyReader.floorHour(Long.MAX_VALUE))
                .isEqualTo(Long.MAX_VALUE - Math.floorMod(Long.MAX_VALUE, HOUR));
    }

    @Test
    void dependencies_unboundedRange_readsEverything() throws Exception {
        try (DuckDbStorage storage = open()) {
            writeCall(storage, 1, BASE_NANOS + 10 * MINUTE, false);
            clock.set(BASE_NANOS + HOUR + 30 * MINUTE);
            storage.runMaintenance();
            writeCall(storage, 2, BASE_NANOS + HOUR + 10 * MINUTE, false);

            assertThat(dependencies(storage, TimeRange.ALL))
                    .containsExactly(new ServiceDependency("frontend", "checkout", 2, 0));
            assertThat(dependencies(storage, new TimeRange(Long.MIN_VALUE, BASE_NANOS + 11 * MINUTE)))
                    .containsExactly(new ServiceDependency("frontend", "checkout", 1, 0));
        }
    }
}
