package io.otelservices.storage;

import java.util.Objects;

/**
 * An attribute equality filter: an item matches when its own attributes or its resource's attributes hold
 * {@code key} with exactly {@code value} (values compare as stored text, see
 * {@link io.otelservices.model.AttributeValues}).
 */
public record AttributeFilter(String key, String value) {
    public AttributeFilter {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
