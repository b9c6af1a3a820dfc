package io.otelservices.storage.contract;

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
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every backend must answer for service dependencies ({@link io.otelservices.storage.DependencyReader}). Each
 * call's parent and child are written in one batch: a backend that rolls up what it stores together may miss a call
 * whose spans arrived apart (see the reader's javadoc).
 */
public abstract class DependencyStoreContract extends StorageContract {

    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final TimeRange DAY = new TimeRange(BASE_NANOS - HOUR, BASE_NANOS + 24 * HOUR);

    /** Trace {@code trace}'s span {@code id} of {@code service}, a child of {@code parent} (empty for a root). */
    private static Span call(int trace, int id, int parent, String service, long startNanos) {
        return span(traceId(trace), spanId(id)).parent(parent < 0 ? "" : spanId(parent)).service(service)
                .start(startNanos).noEventsOrLinks().build();
    }

    private static Span failedCall(int trace, int id, int parent, String service, long startNanos) {
        return span(traceId(trace), spanId(id)).parent(spanId(parent)).service(service).start(startNanos)
                .error("upstream failed").noEventsOrLinks().build();
    }

    private List<ServiceDependency> dependencies(TimeRange range) {
        return await(backend().dependencies().dependencies(range));
    }

    @Test
    public void dependencies_crossServiceCalls_countedPerPairWithErrors() {
        long t = BASE_NANOS + 10 * MINUTE;
        write(spans(1,
                // Trace 1: frontend -> checkout -> payment (failing), checkout -> checkout (same service).
                call(1, 1, -1, "frontend", t),
                call(1, 2, 1, "checkout", t + SECOND),
                failedCall(1, 3, 2, "payment", t + 2 * SECOND),
                call(1, 4, 2, "checkout", t + 3 * SECOND),
                // Trace 2: frontend -> checkout (failing), frontend -> Zeta.
                call(2, 5, -1, "frontend", t + MINUTE),
                failedCall(2, 6, 5, "checkout", t + MINUTE + SECOND),
                call(2, 7, 5, "Zeta", t + MINUTE + 2 * SECOND),
                // Trace 3: a child whose parent was never stored.
                call(3, 8, 99, "payment", t + 2 * MINUTE)));

        assertThat(dependencies(DAY)).containsExactly(
                new ServiceDependency("checkout", "payment", 1, 1),
                new ServiceDependency("frontend", "Zeta", 1, 0),
                new ServiceDependency("frontend", "checkout", 2, 1));
    }

    @Test
    public void dependencies_sameSpanIdInOtherTrace_notJoined() {
        long t = BASE_NANOS + 10 * MINUTE;
        write(spans(1,
                call(1, 1, -1, "frontend", t),
                // Its parent id names a span of trace 1, but it belongs to trace 2.
                call(2, 2, 1, "checkout", t + SECOND)));

        assertThat(dependencies(DAY)).isEmpty();
    }

    @Test
    public void dependencies_noSpansOrEmptyRange_empty() {
        assertThat(dependencies(DAY)).isEmpty();

        write(spans(1, call(1, 1, -1, "frontend", BASE_NANOS), call(1, 2, 1, "checkout", BASE_NANOS + SECOND)));

        assertThat(dependencies(new TimeRange(BASE_NANOS + SECOND, BASE_NANOS + SECOND))).isEmpty();
        assertThat(dependencies(new TimeRange(BASE_NANOS + 2 * SECOND, BASE_NANOS + HOUR))).isEmpty();
    }

    @Test
    public void dependencies_callsInSeveralHours_summedOverWholeHours() {
        for (int hour = 0; hour < 3; hour++) {
            long t = BASE_NANOS + hour * HOUR + 30 * MINUTE;
            int trace = 10 * hour;
            write(spans(hour + 1,
                    call(trace, trace, -1, "frontend", t),
                    call(trace, trace + 1, trace, "checkout", t + SECOND),
                    failedCall(trace, trace + 2, trace + 1, "payment", t + 2 * SECOND)));
        }

        List<ServiceDependency> expected = List.of(
                new ServiceDependency("checkout", "payment", 3, 3),
                new ServiceDependency("frontend", "checkout", 3, 0));
        assertThat(dependencies(DAY)).containsExactlyElementsOf(expected);
        assertThat(dependencies(TimeRange.ALL)).containsExactlyElementsOf(expected);
        assertThat(dependencies(new TimeRange(BASE_NANOS, BASE_NANOS + 3 * HOUR))).containsExactlyElementsOf(expected);
        assertThat(dependencies(new TimeRange(BASE_NANOS + HOUR, BASE_NANOS + 2 * HOUR))).containsExactly(
                new ServiceDependency("checkout", "payment", 1, 1),
                new ServiceDependency("frontend", "checkout", 1, 0));
    }

    @Test
    public void dependencies_rangeCuttingHours_countsChildrenInRange() {
        // Calls at :10 and :40 of hour 0, :10 of hour 1, :20 and :50 of hour 2; the range is [0:30, 2:30).
        long[] childStarts = {10 * MINUTE, 40 * MINUTE, HOUR + 10 * MINUTE, 2 * HOUR + 20 * MINUTE,
            2 * HOUR + 50 * MINUTE};
        Span[] spans = new Span[2 * childStarts.length];
        for (int i = 0; i < childStarts.length; i++) {
            long childStart = BASE_NANOS + childStarts[i];
            spans[2 * i] = call(i, 2 * i, -1, "frontend", childStart - 5 * MINUTE);
            spans[2 * i + 1] = failedCall(i, 2 * i + 1, 2 * i, "checkout-" + i, childStart);
        }
        write(spans(1, spans));

        TimeRange range = new TimeRange(BASE_NANOS + 30 * MINUTE, BASE_NANOS + 2 * HOUR + 30 * MINUTE);
        // The call at 0:40 counts although its parent started before the range (at 0:35, the same hour).
        assertThat(dependencies(range)).containsExactly(
                new ServiceDependency("frontend", "checkout-1", 1, 1),
                new ServiceDependency("frontend", "checkout-2", 1, 1),
                new ServiceDependency("frontend", "checkout-3", 1, 1));
        // Inside one hour, and exactly one hour.
        assertThat(dependencies(new TimeRange(BASE_NANOS + 36 * MINUTE, BASE_NANOS + 41 * MINUTE)))
                .containsExactly(new ServiceDependency("frontend", "checkout-1", 1, 1));
        assertThat(dependencies(new TimeRange(BASE_NANOS + HOUR, BASE_NANOS + 2 * HOUR)))
                .containsExactly(new ServiceDependency("frontend", "checkout-2", 1, 1));
        // From the middle of hour 0 to the end of everything, and from the beginning of everything to 2:30.
        assertThat(dependencies(new TimeRange(range.startNanos(), Long.MAX_VALUE))).hasSize(4);
        assertThat(dependencies(new TimeRange(Long.MIN_VALUE, range.endNanos()))).hasSize(4);
    }

    @Test
    public void dependencies_parentInEarlierHour_notCounted() {
        write(spans(1,
                call(1, 1, -1, "frontend", BASE_NANOS + HOUR - SECOND),
                call(1, 2, 1, "checkout", BASE_NANOS + HOUR + SECOND),
                call(1, 3, 2, "payment", BASE_NANOS + HOUR + 2 * SECOND)));

        assertThat(dependencies(DAY)).containsExactly(new ServiceDependency("checkout", "payment", 1, 0));
        assertThat(dependencies(new TimeRange(BASE_NANOS + HOUR, BASE_NANOS + HOUR + 10 * SECOND)))
                .containsExactly(new ServiceDependency("checkout", "payment", 1, 0));
    }
}
