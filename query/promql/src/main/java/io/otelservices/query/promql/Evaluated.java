package io.otelservices.query.promql;

import java.util.List;

/** What an expression evaluates to over all steps of an evaluation. */
sealed interface Evaluated permits Evaluated.Scalars, Evaluated.Text, Evaluated.Vectors, Evaluated.Ranges {

    /** A scalar per step. */
    record Scalars(double[] values) implements Evaluated {}

    /** A string (the same at every step). */
    record Text(String value) implements Evaluated {}

    /** An instant vector per step, as series with values at some steps. */
    record Vectors(List<StepSeries> series) implements Evaluated {}

    /** A range vector at a single step: series with their raw samples (an instant query's matrix result). */
    record Ranges(List<Series> series) implements Evaluated {}
}
