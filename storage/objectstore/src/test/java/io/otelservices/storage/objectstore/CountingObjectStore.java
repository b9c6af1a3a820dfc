package io.otelservices.storage.objectstore;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps a store, counts downloads, and can hold them until released, to make concurrent callers meet. */
final class CountingObjectStore implements ObjectStore {
    private final ObjectStore delegate;
    private final AtomicInteger gets = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    CountingObjectStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    /** How many times {@link #get} was called. */
    int gets() {
        return gets.get();
    }

    /** Makes downloads wait until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    @Override
    public void get(String key, Path target) {
        gets.incrementAndGet();
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("download of " + key + " held for 30 s; was release() called?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        delegate.get(key, target);
    }

    @Override
    public void put(String key, Path file) {
        delegate.put(key, file);
    }

    @Override
    public boolean exists(String key) {
        return delegate.exists(key);
    }

    @Override
    public long size(String key) {
        return delegate.size(key);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public void check() {
        delegate.check();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
