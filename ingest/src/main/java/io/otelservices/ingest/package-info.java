/**
 * The ingest path: {@link io.otelservices.ingest.IngestPipeline} (admission, write-ahead log, storage batcher) and
 * its settings, {@link io.otelservices.ingest.IngestConfig}. Receivers live in {@code otlp} and {@code prometheus}
 * (remote write), the log in {@code wal}, the storage writer thread in {@code pipeline}.
 */
package io.otelservices.ingest;
