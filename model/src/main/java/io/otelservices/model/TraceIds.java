package io.otelservices.model;

/**
 * Trace and span ids as the model keeps them: lower-case hex strings, 32 characters for a trace id, 16 for a
 * span id, and the empty string for an absent id (for example the parent of a root span).
 */
public final class TraceIds {

    public static final int TRACE_ID_HEX_LENGTH = 32;
    public static final int SPAN_ID_HEX_LENGTH = 16;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TraceIds() {}

    /** Lower-case hex of {@code bytes}; the empty string for an empty array. */
    public static String toHex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /** Whether {@code hex} is a valid trace id: 32 hex digits of either case, not all zero. */
    public static boolean isValidTraceId(String hex) {
        return isValidId(hex, TRACE_ID_HEX_LENGTH);
    }

    /** Whether {@code hex} is a valid span id: 16 hex digits of either case, not all zero. */
    public static boolean isValidSpanId(String hex) {
        return isValidId(hex, SPAN_ID_HEX_LENGTH);
    }

    private static boolean isValidId(String hex, int length) {
        if (hex == null || hex.length() != length) {
            return false;
        }
        boolean nonZero = false;
        for (int i = 0; i < length; i++) {
            char c = hex.charAt(i);
            if (Character.digit(c, 16) < 0) {
                return false;
            }
            nonZero |= c != '0';
        }
        return nonZero;
    }
}
