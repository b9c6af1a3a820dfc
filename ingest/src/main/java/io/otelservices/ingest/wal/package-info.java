/**
 * The write-ahead log: versioned segment files of checksummed records, with group commit (see
 * {@link io.otelservices.ingest.wal.WriteAheadLog} and the format in {@code WalFormat}).
 */
package io.otelservices.ingest.wal;
