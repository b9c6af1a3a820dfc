/** Logging aids shared by the ingest packages. */
package io.otelservices.ingest.logging;
