package io.otelservices.ingest.wal;

import static java.util.Objects.requireNonNull;

/**
 * One record read back from the write-ahead log.
 *
 * @param type the record type the appender chose
 * @param sequence the sequence number the log gave it
 * @param payload the bytes appended; owned by the receiver
 */
public record WalRecord(byte type, long sequence, byte[] payload) {
    public WalRecord {
        requireNonNull(payload, "payload");
    }
}
