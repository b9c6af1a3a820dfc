package io.otelservices.query.prometheus;

import com.fasterxml.jackson.core.JsonGenerator;
import io.otelservices.query.promql.LabelMatcher;
import io.otelservices.query.promql.Labels;
import io.otelservices.query.promql.parser.Expr;
import io.otelservices.query.promql.parser.Function;
import io.otelservices.query.promql.parser.Numbers;
import io.otelservices.query.promql.parser.ValueType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed expression as {@code /api/v1/parse_query} returns it: Prometheus' JSON form of its AST (the
 * {@code translateAST} of its web API, which its UI's tree view reads), with the fields of Prometheus 2.x. Stateless
 * and thread-safe.
 */
final class AstJson {

    private AstJson() {}

    static void write(JsonGenerator json, Expr expr) throws IOException {
        json.writeStartObject();
        if (expr instanceof Expr.AggregateExpr aggregate) {
            json.writeStringField("type", "aggregation");
            json.writeStringField("op", aggregate.op().spelling());
            writeExpr(json, "expr", aggregate.expr());
            writeExpr(json, "param", aggregate.param());
            writeStringList(json, "grouping", aggregate.grouping());
            json.writeBooleanField("without", aggregate.without());
        } else if (expr instanceof Expr.BinaryExpr binary) {
            json.writeStringField("type", "binaryExpr");
            json.writeStringField("op", binary.op().spelling());
            writeExpr(json, "lhs", binary.lhs());
            writeExpr(json, "rhs", binary.rhs());
            writeMatching(json, binary.matching());
            json.writeBooleanField("bool", binary.returnBool());
        } else if (expr instanceof Expr.Call call) {
            json.writeStringField("type", "call");
            writeFunction(json, call.function());
            json.writeArrayFieldStart("args");
            for (Expr arg : call.args()) {
                write(json, arg);
            }
            json.writeEndArray();
        } else if (expr instanceof Expr.MatrixSelector matrix) {
            Expr.VectorSelector selector = matrix.selector();
            json.writeStringField("type", "matrixSelector");
            json.writeStringField("name", selector.name());
            json.writeNumberField("range", matrix.rangeMillis());
            writeSelectorFields(json, selector);
        } else if (expr instanceof Expr.SubqueryExpr subquery) {
            json.writeStringField("type", "subquery");
            writeExpr(json, "expr", subquery.expr());
            json.writeNumberField("range", subquery.rangeMillis());
            json.writeNumberField("offset", subquery.offsetMillis());
            json.writeNumberField("step", subquery.stepMillis());
            writeAt(json, subquery.atMillis(), subquery.at());
        } else if (expr instanceof Expr.NumberLiteral number) {
            json.writeStringField("type", "numberLiteral");
            json.writeStringField("val", Numbers.format(number.value()));
        } else if (expr instanceof Expr.ParenExpr paren) {
            json.writeStringField("type", "parenExpr");
            writeExpr(json, "expr", paren.expr());
        } else if (expr instanceof Expr.StringLiteral string) {
            json.writeStringField("type", "stringLiteral");
            json.writeStringField("val", string.value());
        } else if (expr instanceof Expr.UnaryExpr unary) {
            json.writeStringField("type", "unaryExpr");
            json.writeStringField("op", unary.negate() ? "-" : "+");
            writeExpr(json, "expr", unary.expr());
        } else if (expr instanceof Expr.VectorSelector selector) {
            json.writeStringField("type", "vectorSelector");
            json.writeStringField("name", selector.name());
            writeSelectorFields(json, selector);
        }
        json.writeEndObject();
    }

    private static void writeExpr(JsonGenerator json, String field, Expr expr) throws IOException {
        json.writeFieldName(field);
        if (expr == null) {
            json.writeNull();
        } else {
            write(json, expr);
        }
    }

    private static void writeSelectorFields(JsonGenerator json, Expr.VectorSelector selector) throws IOException {
        json.writeNumberField("offset", selector.offsetMillis());
        json.writeArrayFieldStart("matchers");
        for (LabelMatcher matcher : prometheusOrder(selector)) {
            json.writeStartObject();
            json.writeStringField("name", matcher.name());
            json.writeStringField("value", matcher.value());
            json.writeStringField("type", matcher.type().operator());
            json.writeEndObject();
        }
        json.writeEndArray();
        writeAt(json, selector.atMillis(), selector.at());
    }

    /** Prometheus' parser appends the matcher of a selector's metric name after the ones in braces. */
    private static List<LabelMatcher> prometheusOrder(Expr.VectorSelector selector) {
        List<LabelMatcher> matchers = new ArrayList<>(selector.matchers());
        if (!selector.name().isEmpty() && !matchers.isEmpty()) {
            LabelMatcher first = matchers.get(0);
            if (first.name().equals(Labels.METRIC_NAME) && first.type() == LabelMatcher.Type.EQUAL
                    && first.value().equals(selector.name())) {
                matchers.remove(0);
                matchers.add(first);
            }
        }
        return matchers;
    }

    private static void writeAt(JsonGenerator json, Long atMillis, Expr.AtModifier at) throws IOException {
        json.writeFieldName("timestamp");
        if (atMillis == null) {
            json.writeNull();
        } else {
            json.writeNumber(atMillis);
        }
        json.writeFieldName("startOrEnd");
        switch (at) {
            case START -> json.writeString("start");
            case END -> json.writeString("end");
            case NONE -> json.writeNull();
        }
    }

    private static void writeMatching(JsonGenerator json, Expr.VectorMatching matching) throws IOException {
        json.writeFieldName("matching");
        if (matching == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        json.writeStringField("card", switch (matching.cardinality()) {
            case ONE_TO_ONE -> "one-to-one";
            case MANY_TO_ONE -> "many-to-one";
            case ONE_TO_MANY -> "one-to-many";
            case MANY_TO_MANY -> "many-to-many";
        });
        writeStringList(json, "labels", matching.labels());
        json.writeBooleanField("on", matching.on());
        writeStringList(json, "include", matching.include());
        json.writeEndObject();
    }

    private static void writeFunction(JsonGenerator json, Function function) throws IOException {
        json.writeObjectFieldStart("func");
        json.writeStringField("name", function.name());
        json.writeArrayFieldStart("argTypes");
        for (ValueType type : function.argTypes()) {
            json.writeString(typeName(type));
        }
        json.writeEndArray();
        json.writeNumberField("variadic", function.variadic());
        json.writeStringField("returnType", typeName(function.returnType()));
        json.writeEndObject();
    }

    /** Go's {@code parser.ValueType} names. */
    private static String typeName(ValueType type) {
        return switch (type) {
            case SCALAR -> "scalar";
            case STRING -> "string";
            case VECTOR -> "vector";
            case MATRIX -> "matrix";
        };
    }

    private static void writeStringList(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeFieldName(field);
        ResponseJson.writeStrings(json, values);
    }
}
