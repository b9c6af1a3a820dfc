package io.otelservices.storage.duckdb;

import static java.util.Objects.requireNonNull;

import io.otelservices.storage.DependencyReader;
import io.otelservices.storage.ServiceDependency;
import io.otelservices.storage.TimeRange;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.duckdb.DuckDBConnection;

/**
 * Reads service dependencies from the hourly rollup where it can and from raw spans where it must, in one query
 * (one snapshot, so that each span counts once):
 * <ul>
 *   <li><b>whole hours</b> of the range: the rollup rows of those hours ({@code otel_service_dependencies_1h},
 *       written when an hour is sealed), plus the calls among the hot rows of those hours (not sealed yet, or late
 *       rows of a sealed hour, which the next sealing run rolls up the same way);</li>
 *   <li><b>partial hours</b> at the range's edges: the calls whose child span lies in the range, joined to parents
 *       of the same hour, from the hot table and the sealed blocks together.</li>
 * </ul>
 * Sealing moves an hour's rows out of the hot table and writes its rollup in one transaction, so a whole hour is
 * read either from the rollup or from the hot table, never both. Every part uses {@link Rollups#dependencies}, the
 * join the rollup is made with.
 *
 * <p>One difference from raw spans remains: a rollup pairs only spans sealed in the same run, so a call whose parent
 * and child were sealed in different runs (the child arrived after its hour was sealed) is missing from whole hours.
 */
final class DuckDbDependencyReader implements DependencyReader {

    private static final long HOUR = Rollups.HOUR;

    private final DuckDbReadPool pool;
    private final TableSources sources;

    DuckDbDependencyReader(DuckDbReadPool pool, TableSources sources) {
        this.pool = pool;
        this.sources = sources;
    }

    @Override
    public CompletableFuture<List<ServiceDependency>> dependencies(TimeRange range) {
        requireNonNull(range, "range");
        if (range.startNanos() == range.endNanos()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return pool.submit("read service dependencies", connection -> {
            String sql = "SELECT Parent, Child, sum(CallCount)::BIGINT AS CallCount, sum(ErrorCount)::BIGINT AS "
                    + "ErrorCount FROM (" + String.join("\nUNION ALL\n", parts(connection, range))
                    + ") GROUP BY Parent, Child ORDER BY Parent, Child";
            try (PreparedStatement statement = connection.prepareStatement(sql);
                 ResultSet rs = statement.executeQuery()) {
                List<ServiceDependency> dependencies = new ArrayList<>();
                while (rs.next()) {
                    dependencies.add(new ServiceDependency(rs.getString("Parent"), rs.getString("Child"),
                            rs.getLong("CallCount"), rs.getLong("ErrorCount")));
                }
                return dependencies;
            }
        });
    }

    /**
     * The SELECTs whose (Parent, Child, CallCount, ErrorCount) rows add up to the answer. Every bound is a number
     * computed here, never user text, so it is written into the SQL.
     */
    private List<String> parts(DuckDBConnection connection, TimeRange range) throws SQLException {
        List<String> parts = new ArrayList<>();
        long firstWholeHour = ceilHour(range.startNanos());
        long endOfWholeHours = floorHour(range.endNanos());
        if (firstWholeHour < endOfWholeHours) {
            TimeRange whole = new TimeRange(firstWholeHour, endOfWholeHours);
            parts.add("SELECT Parent, Child, CallCount, ErrorCount FROM "
                    + sources.relation(connection, StoredTable.DEPENDENCIES_1H, whole) + within("TimeUnix", whole));
            String hot = "(SELECT * FROM " + StoredTable.TRACES.table() + within("Timestamp", whole) + ")";
            parts.add(calls(Rollups.dependencies(hot, hot)));
        }
        if (firstWholeHour > endOfWholeHours) {
            // The range lies inside one hour.
            parts.add(calls(partialHour(connection, range)));
        } else {
            if (range.startNanos() < firstWholeHour) {
                parts.add(calls(partialHour(connection, new TimeRange(range.startNanos(), firstWholeHour))));
            }
            if (endOfWholeHours < range.endNanos()) {
                parts.add(calls(partialHour(connection, new TimeRange(endOfWholeHours, range.endNanos()))));
            }
        }
        if (parts.isEmpty()) {
            // Only an empty range has no part, and it never gets here; keep the SQL valid regardless.
            parts.add("SELECT NULL::VARCHAR AS Parent, NULL::VARCHAR AS Child, 0::BIGINT AS CallCount, "
                    + "0::BIGINT AS ErrorCount WHERE false");
        }
        return parts;
    }

    /** The dependency rows of the calls whose child lies in {@code piece}, a range inside one hour. */
    private String partialHour(DuckDBConnection connection, TimeRange piece) throws SQLException {
        long hourStart = floorHour(piece.startNanos());
        TimeRange hour = new TimeRange(hourStart, saturatedAdd(hourStart, HOUR));
        String children = "(SELECT * FROM " + sources.relation(connection, StoredTable.TRACES, piece)
                + within("Timestamp", piece) + ")";
        String parents = "(SELECT * FROM " + sources.relation(connection, StoredTable.TRACES, hour)
                + within("Timestamp", hour) + ")";
        return Rollups.dependencies(children, parents);
    }

    private static String calls(String dependencyRows) {
        return "SELECT Parent, Child, CallCount, ErrorCount FROM (" + dependencyRows + ")";
    }

    private static String within(String column, TimeRange range) {
        return " WHERE " + column + " >= " + range.startNanos() + " AND " + column + " < " + range.endNanos();
    }

    /** The start of the hour holding {@code nanos}; {@link Long#MIN_VALUE} where that lies before it. */
    static long floorHour(long nanos) {
        long intoHour = Math.floorMod(nanos, HOUR);
        return nanos < Long.MIN_VALUE + intoHour ? Long.MIN_VALUE : nanos - intoHour;
    }

    /** The first hour start at or after {@code nanos}; {@link Long#MAX_VALUE} where that lies beyond it. */
    static long ceilHour(long nanos) {
        long intoHour = Math.floorMod(nanos, HOUR);
        return intoHour == 0 ? nanos : saturatedAdd(nanos, HOUR - intoHour);
    }

    private static long saturatedAdd(long value, long delta) {
        long sum = value + delta;
        return delta > 0 && sum < value ? Long.MAX_VALUE : sum;
    }
}
