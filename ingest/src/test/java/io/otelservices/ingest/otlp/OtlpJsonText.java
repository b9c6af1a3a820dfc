package io.otelservices.ingest.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OTLP/JSON of a message as a sender writes it: protobuf's reference JSON printer, with the ids turned from
 * base64 into (upper-case) hex as OTLP requires.
 */
final class OtlpJsonText {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> ID_FIELDS =
            Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");

    private OtlpJsonText() {}

    static String of(Message message, boolean protoFieldNames) throws Exception {
        JsonFormat.Printer printer = JsonFormat.printer();
        if (protoFieldNames) {
            printer = printer.preservingProtoFieldNames();
        }
        JsonNode tree = MAPPER.readTree(printer.print(message));
        rewriteIds(tree);
        return MAPPER.writeValueAsString(tree);
    }

    private static void rewriteIds(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            object.fields().forEachRemaining(fields::add);
            for (Map.Entry<String, JsonNode> field : fields) {
                if (ID_FIELDS.contains(field.getKey()) && field.getValue().isTextual()) {
                    byte[] bytes = Base64.getDecoder().decode(field.getValue().asText());
                    object.set(field.getKey(), TextNode.valueOf(HexFormat.of().withUpperCase().formatHex(bytes)));
                } else {
                    rewriteIds(field.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(OtlpJsonText::rewriteIds);
        }
    }
}
