package io.otelservices.model;

/**
 * How OTLP {@code AnyValue}s become the string values of attribute maps (DESIGN.md §3).
 *
 * <p>A string value is kept as is. Every other type is kept as its JSON text: {@code true}, {@code 42},
 * {@code 1.5}, arrays as JSON arrays, key/value lists as JSON objects, bytes as a JSON string holding base64.
 * Conversion itself lives in the ingest module, which owns the OTLP types; this class only names the rules so that
 * readers and writers agree on them.
 */
public final class AttributeValues {

    /** The JSON text stored for a double that is not finite (JSON has no literal for it). */
    public static final String NAN = "\"NaN\"";
    public static final String POSITIVE_INFINITY = "\"Infinity\"";
    public static final String NEGATIVE_INFINITY = "\"-Infinity\"";

    private AttributeValues() {}
}
