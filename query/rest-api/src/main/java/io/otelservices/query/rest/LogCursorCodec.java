package io.otelservices.query.rest;

import io.otelservices.storage.LogCursor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor}/{@code next_cursor} strings of {@code POST /api/v1/logs}: URL-safe base64 (no padding)
 * of {@code 1:<timestampNanos>:<skipAtTimestamp>}, the leading {@code 1} being the format version.
 */
final class LogCursorCodec {

    private static final String VERSION = "1";

    private LogCursorCodec() {}

    static String encode(LogCursor cursor) {
        String plain = VERSION + ':' + cursor.timestampNanos() + ':' + cursor.skipAtTimestamp();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The cursor a string of {@link #encode} holds.
     *
     * @throws ApiException (400 naming {@code field}) for anything else
     */
    static LogCursor decode(String field, String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            String[] parts = plain.split(":", -1);
            if (parts.length == 3 && parts[0].equals(VERSION)) {
                return new LogCursor(Long.parseLong(parts[1]), Integer.parseInt(parts[2]));
            }
        } catch (IllegalArgumentException e) {
            // Bad base64, numbers or a negative skip: answered below, like any other malformed cursor.
        }
        throw ApiException.badRequest(field, RequestFields.shownText(text) + " is malformed",
                "the next_cursor of an earlier response");
    }
}
