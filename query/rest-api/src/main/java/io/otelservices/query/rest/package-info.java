/**
 * The seed REST query API ({@code /api/v1/...}, DESIGN.md §6): JSON requests in, JSON responses out, read only
 * through the storage SPI. {@link io.otelservices.query.rest.RestApi} is the public entry point (with its
 * {@link io.otelservices.query.rest.QueryCacheConfig}); the server module registers it on its Armeria server.
 */
package io.otelservices.query.rest;
