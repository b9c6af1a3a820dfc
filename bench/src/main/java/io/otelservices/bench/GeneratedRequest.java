package io.otelservices.bench;

import java.nio.charset.StandardCharsets;

/**
 * One pre-encoded export request of the pool: its body (OTLP protobuf, or Zipkin v2 JSON), the number of items in
 * it, and where its trace ids sit in the body so that a reused request can carry fresh trace ids: the first 8 bytes
 * of every trace id are XOR-ed with a salt (per pool cycle and per {@code -id-salt}), which keeps every span of a
 * trace in one trace and every trace distinct. Immutable; {@link #body(long)} copies before patching.
 *
 * @param signal what the body holds
 * @param body the encoded request; never modified
 * @param items spans, log records or data points in the body
 * @param idOffsets offsets of the first 8 bytes of trace ids in {@code body} (binary), or of their first 16 hex digits
 * @param hexIds whether ids are hex text (Zipkin JSON) rather than bytes
 * @param traceHighs first 8 bytes of each trace id in the request (traces only; empty otherwise)
 * @param traceLows last 8 bytes of each trace id
 * @param spansPerTrace spans of each trace in the request
 */
record GeneratedRequest(Signal signal, byte[] body, int items, int[] idOffsets, boolean hexIds, long[] traceHighs,
        long[] traceLows, int[] spansPerTrace) {

    /** The salt for one pool cycle: 0 (the body as generated) only for cycle 0 without {@code -id-salt}. */
    static long salt(long idSalt, long cycle) {
        if (idSalt == 0 && cycle == 0) {
            return 0;
        }
        long z = idSalt * 0x9E3779B97F4A7C15L + cycle + 0x632BE59BD9B4E019L; // splitmix64 finalizer
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return z == 0 ? 1 : z;
    }

    /** The body with every trace id salted; the shared array itself when {@code salt} is 0. */
    byte[] body(long salt) {
        if (salt == 0 || idOffsets.length == 0) {
            return body;
        }
        byte[] copy = body.clone();
        for (int offset : idOffsets) {
            if (hexIds) {
                long value = Long.parseUnsignedLong(new String(copy, offset, 16, StandardCharsets.US_ASCII), 16) ^ salt;
                for (int i = 15; i >= 0; i--) {
                    copy[offset + i] = (byte) Character.forDigit((int) (value & 0xF), 16);
                    value >>>= 4;
                }
            } else {
                OtlpValues.putLong(copy, offset, OtlpValues.getLong(copy, offset) ^ salt);
            }
        }
        return copy;
    }

    /** Appends the acknowledged trace ids (salted) with their span counts, as JSON object members. */
    void appendTraceIds(StringBuilder out, long salt) {
        for (int i = 0; i < traceHighs.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"').append(OtlpValues.hex(traceHighs[i] ^ salt)).append(OtlpValues.hex(traceLows[i]))
                    .append("\":").append(spansPerTrace[i]);
        }
    }
}
