/**
 * The cold tier's object storage: {@link io.otelservices.storage.objectstore.ObjectStore} with an S3-compatible
 * implementation ({@link io.otelservices.storage.objectstore.S3ObjectStore}) and a local-directory one
 * ({@link io.otelservices.storage.objectstore.LocalObjectStore}), plus
 * {@link io.otelservices.storage.objectstore.BlockCache}, the bounded local disk cache that keeps downloaded blocks
 * queryable.
 */
package io.otelservices.storage.objectstore;
