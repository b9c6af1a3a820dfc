package io.otelservices.query.promql;

import java.util.List;
import java.util.Objects;

/** A PromQL result value: scalar, string, instant vector or range vector (matrix). Immutable. */
public sealed interface Value permits Value.Scalar, Value.StringValue, Value.Vector, Value.Matrix {

    /** The Prometheus API's {@code resultType}. */
    String resultType();

    /** A number at a time. */
    record Scalar(long timeMillis, double value) implements Value {
        @Override
        public String resultType() {
            return "scalar";
        }
    }

    /** A string at a time. */
    record StringValue(long timeMillis, String value) implements Value {
        public StringValue {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String resultType() {
            return "string";
        }
    }

    /** One sample of an instant vector. */
    record Sample(Labels labels, long timeMillis, double value) {
        public Sample {
            Objects.requireNonNull(labels, "labels");
        }
    }

    /** An instant vector: samples, one per label set, all at the same time. */
    record Vector(List<Sample> samples) implements Value {
        public Vector {
            samples = List.copyOf(samples);
        }

        @Override
        public String resultType() {
            return "vector";
        }
    }

    /** A range vector, or the result of a range query: series with their samples, sorted by labels. */
    record Matrix(List<Series> series) implements Value {
        public Matrix {
            series = List.copyOf(series);
        }

        @Override
        public String resultType() {
            return "matrix";
        }
    }
}
