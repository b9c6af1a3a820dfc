/** The single storage writer thread that batches items in write-ahead-log order and retries failed writes. */
package io.otelservices.ingest.pipeline;
