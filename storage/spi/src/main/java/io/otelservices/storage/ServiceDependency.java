package io.otelservices.storage;

import static java.util.Objects.requireNonNull;

/**
 * Calls from one service to another over a time range: parent/child span pairs whose spans belong to different
 * services (see {@link DependencyReader#dependencies(TimeRange)} for which pairs count).
 *
 * @param parent the calling service: the parent span's service name
 * @param child the called service: the child span's service name
 * @param callCount child spans with such a parent
 * @param errorCount of those, child spans with status {@code Error}
 */
public record ServiceDependency(String parent, String child, long callCount, long errorCount) {

    public ServiceDependency {
        requireNonNull(parent, "parent");
        requireNonNull(child, "child");
        if (errorCount < 0 || errorCount > callCount) {
            throw new IllegalArgumentException(
                    "errorCount: " + errorCount + " (expected: 0.." + callCount + ", at most callCount)");
        }
    }
}
