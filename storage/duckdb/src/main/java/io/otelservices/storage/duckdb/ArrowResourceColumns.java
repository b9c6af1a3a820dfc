package io.otelservices.storage.duckdb;

import static io.otelservices.storage.duckdb.ArrowColumns.dictionaryAttributes;
import static io.otelservices.storage.duckdb.ArrowColumns.integer;
import static io.otelservices.storage.duckdb.ArrowColumns.setString;
import static io.otelservices.storage.duckdb.ArrowColumns.varchar;

import io.otelservices.model.InstrumentationScope;
import io.otelservices.model.Resource;
import java.util.List;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.Field;

/** The resource and scope columns that every signal's table has (DuckDbSchema's {@code RESOURCE_AND_SCOPE}). */
final class ArrowResourceColumns {

    /** The columns, in table order. */
    static final List<Field> FIELDS = List.of(
            dictionaryAttributes("ResourceAttributes", 0),
            integer("ResourceDroppedAttributesCount"),
            varchar("ResourceSchemaUrl"),
            varchar("ScopeName"),
            varchar("ScopeVersion"),
            dictionaryAttributes("ScopeAttributes", 1),
            integer("ScopeDroppedAttributesCount"),
            varchar("ScopeSchemaUrl"));

    private final ArrowColumns.DictionaryAttributesColumn resourceAttributes;
    private final IntVector resourceDroppedAttributesCount;
    private final VarCharVector resourceSchemaUrl;
    private final VarCharVector scopeName;
    private final VarCharVector scopeVersion;
    private final ArrowColumns.DictionaryAttributesColumn scopeAttributes;
    private final IntVector scopeDroppedAttributesCount;
    private final VarCharVector scopeSchemaUrl;

    /**
     * @param sortResourceAttributes whether resource attributes are stored in key order: series identity is
     *     compared in SQL, and DuckDB MAP equality depends on entry order
     */
    ArrowResourceColumns(ArrowTableRows rows, boolean sortResourceAttributes) {
        resourceAttributes = rows.dictionaryAttributes("ResourceAttributes", sortResourceAttributes);
        resourceDroppedAttributesCount = rows.vector("ResourceDroppedAttributesCount");
        resourceSchemaUrl = rows.vector("ResourceSchemaUrl");
        scopeName = rows.vector("ScopeName");
        scopeVersion = rows.vector("ScopeVersion");
        scopeAttributes = rows.dictionaryAttributes("ScopeAttributes", false);
        scopeDroppedAttributesCount = rows.vector("ScopeDroppedAttributesCount");
        scopeSchemaUrl = rows.vector("ScopeSchemaUrl");
    }

    void set(int row, Resource resource, InstrumentationScope scope) {
        resourceAttributes.set(row, resource.attributes());
        resourceDroppedAttributesCount.setSafe(row, resource.droppedAttributesCount());
        setString(resourceSchemaUrl, row, resource.schemaUrl());
        setString(scopeName, row, scope.name());
        setString(scopeVersion, row, scope.version());
        scopeAttributes.set(row, scope.attributes());
        scopeDroppedAttributesCount.setSafe(row, scope.droppedAttributesCount());
        setString(scopeSchemaUrl, row, scope.schemaUrl());
    }
}
