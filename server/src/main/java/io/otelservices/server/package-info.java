/** The otelservices process: configuration, the composition root, health and self-metrics. */
package io.otelservices.server;
