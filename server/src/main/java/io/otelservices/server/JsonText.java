package io.otelservices.server;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** Quoting of strings for the few JSON bodies the server writes by hand. */
final class JsonText {
    private JsonText() {}

    static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
