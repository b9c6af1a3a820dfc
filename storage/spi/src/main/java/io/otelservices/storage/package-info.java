/**
 * The storage SPI: what ingest writes through and what every query API reads through. Nothing here names a
 * backend. A {@link io.otelservices.storage.StorageBackend} hands out one writer and the readers; blocking backends
 * run their work on an executor of their own and complete the returned futures there.
 */
package io.otelservices.storage;
