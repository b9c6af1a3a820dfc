package io.otelservices.ingest.otlp;

import com.linecorp.armeria.common.MediaType;

/** The two OTLP/HTTP encodings; answers use the request's. */
enum BodyFormat {
    PROTOBUF(MediaType.parse("application/x-protobuf")),
    JSON(MediaType.parse("application/json"));

    private final MediaType mediaType;

    BodyFormat(MediaType mediaType) {
        this.mediaType = mediaType;
    }

    MediaType mediaType() {
        return mediaType;
    }

    /**
     * The format of a Content-Type ({@code application/x-protobuf} or {@code application/json}, parameters such as
     * {@code charset} allowed; {@code application/protobuf} accepted too), or {@code null}.
     */
    static BodyFormat of(MediaType contentType) {
        if (contentType == null || !"application".equalsIgnoreCase(contentType.type())) {
            return null;
        }
        String subtype = contentType.subtype();
        if ("x-protobuf".equalsIgnoreCase(subtype) || "protobuf".equalsIgnoreCase(subtype)) {
            return PROTOBUF;
        }
        if ("json".equalsIgnoreCase(subtype)) {
            return JSON;
        }
        return null;
    }
}
