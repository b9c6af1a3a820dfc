package io.otelservices.storage.duckdb;

import static io.otelservices.storage.duckdb.ArrowColumns.attributes;
import static io.otelservices.storage.duckdb.ArrowColumns.integer;
import static io.otelservices.storage.duckdb.ArrowColumns.setString;
import static io.otelservices.storage.duckdb.ArrowColumns.varchar;

import io.otelservices.model.InstrumentationScope;
import io.otelservices.model.Resource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.Field;

/** The resource and scope columns that every signal's table has (DuckDbSchema's {@code RESOURCE_AND_SCOPE}). */
final class ArrowResourceColumns {

    /** The columns, in table order. */
    static final List<Field> FIELDS = List.of(
            attributes("ResourceAttributes"),
            integer("ResourceDroppedAttributesCount"),
            varchar("ResourceSchemaUrl"),
            varchar("ScopeName"),
            varchar("ScopeVersion"),
            attributes("ScopeAttributes"),
            integer("ScopeDroppedAttributesCount"),
            varchar("ScopeSchemaUrl"));

    private final ArrowColumns.AttributesColumn resourceAttributes;
    private final IntVector resourceDroppedAttributesCount;
    private final VarCharVector resourceSchemaUrl;
    private final VarCharVector scopeName;
    private final VarCharVector scopeVersion;
    private final ArrowColumns.AttributesColumn scopeAttributes;
    private final IntVector scopeDroppedAttributesCount;
    private final VarCharVector scopeSchemaUrl;

    ArrowResourceColumns(ArrowTableRows rows) {
        resourceAttributes = new ArrowColumns.AttributesColumn(rows.vector("ResourceAttributes"));
        resourceDroppedAttributesCount = rows.vector("ResourceDroppedAttributesCount");
        resourceSchemaUrl = rows.vector("ResourceSchemaUrl");
        scopeName = rows.vector("ScopeName");
        scopeVersion = rows.vector("ScopeVersion");
        scopeAttributes = new ArrowColumns.AttributesColumn(rows.vector("ScopeAttributes"));
        scopeDroppedAttributesCount = rows.vector("ScopeDroppedAttributesCount");
        scopeSchemaUrl = rows.vector("ScopeSchemaUrl");
    }

    /**
     * Sets row {@code row}. With {@code sortResourceAttributes} the resource attributes go in key order: series
     * identity is compared in SQL, and DuckDB MAP equality depends on entry order.
     */
    void set(int row, Resource resource, InstrumentationScope scope, boolean sortResourceAttributes) {
        Map<String, String> attributes = resource.attributes();
        resourceAttributes.set(row, sortResourceAttributes && attributes.size() > 1
                ? new TreeMap<>(attributes) : attributes);
        resourceDroppedAttributesCount.setSafe(row, resource.droppedAttributesCount());
        setString(resourceSchemaUrl, row, resource.schemaUrl());
        setString(scopeName, row, scope.name());
        setString(scopeVersion, row, scope.version());
        scopeAttributes.set(row, scope.attributes());
        scopeDroppedAttributesCount.setSafe(row, scope.droppedAttributesCount());
        setString(scopeSchemaUrl, row, scope.schemaUrl());
    }
}
