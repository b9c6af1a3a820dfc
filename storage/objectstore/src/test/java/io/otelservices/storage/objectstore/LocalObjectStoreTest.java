package io.otelservices.storage.objectstore;

import static java.nio.file.StandardOpenOption.READ;
import static org.assertj.core.api.Assertions.assertThat;

import io.otelservices.storage.objectstore.ObjectStoreException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalObjectStoreTest extends ObjectStoreContract {

    private Path root() {
        return temp.resolve("store");
    }

    @Override
    protected ObjectStore newStore() {
        return new LocalObjectStore(root());
    }

    @Override
    protected ObjectStore storeWhoseDownloadsBreakOff() {
        return new LocalObjectStore(root(), file -> new BreakingChannel(FileChannel.open(file, READ), MIB));
    }

    @Test
    void put_storesFileUnderRootByKey() throws IOException {
        Path source = randomFile("source.bin", 100, 1);

        store.put("traces/2026/block", source);

        assertThat(Files.mismatch(source, root().resolve("traces/2026/block"))).isEqualTo(-1L);
    }

    @Test
    void list_skipsTemporaryFiles() throws IOException {
        store.put("a/block", randomFile("source.bin", 100, 1));
        Files.writeString(root().resolve("a/.block.0123456789abcdef" + AtomicFile.TEMP_SUFFIX), "left by a crash");

        assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly("a/block");
    }

    @Test
    void put_keyBelowExistingObject_throwsLocalIo() throws IOException {
        store.put("a", randomFile("one", 1, 1));

        assertFails(Reason.LOCAL_IO, () -> store.put("a/b", randomFile("two", 1, 2)))
                .hasMessageContaining("'a/b'");
    }

    @Test
    void check_rootRemoved_throwsBucketNotFound() throws IOException {
        Files.delete(root());

        assertFails(Reason.BUCKET_NOT_FOUND, () -> store.check())
                .hasMessageContaining(root().toString());
    }

    /** Reads normally until {@code limit} bytes have been read, then fails like a broken disk or connection. */
    private static final class BreakingChannel implements ReadableByteChannel {
        private final ReadableByteChannel delegate;
        private long left;

        BreakingChannel(ReadableByteChannel delegate, long limit) {
            this.delegate = delegate;
            this.left = limit;
        }

        @Override
        public int read(ByteBuffer buffer) throws IOException {
            if (left <= 0) {
                throw new IOException("simulated read failure");
            }
            int before = buffer.limit();
            buffer.limit((int) Math.min(before, buffer.position() + left));
            try {
                int read = delegate.read(buffer);
                left -= Math.max(read, 0);
                return read;
            } finally {
                buffer.limit(before);
            }
        }

        @Override
        public boolean isOpen() {
            return delegate.isOpen();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
