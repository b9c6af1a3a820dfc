package io.otelservices.storage.objectstore;

import static java.nio.file.StandardOpenOption.READ;
import static java.util.Objects.requireNonNull;

import io.otelservices.storage.objectstore.ObjectStoreException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@link ObjectStore} in a local directory: key {@code a/b/c} is the file {@code root/a/b/c}. For single-node
 * deployments without S3 and for testing the code that uses an {@link ObjectStore}. Writes are atomic the same way
 * as {@link S3ObjectStore}'s: a temporary file in the target directory, forced to disk, renamed into place.
 *
 * <p>Unlike S3, a directory cannot hold both {@code a} and {@code a/b}; such a put fails with
 * {@link Reason#LOCAL_IO}. Empty directories left by deletes are kept. Thread-safe.
 */
public final class LocalObjectStore implements ObjectStore {
    private static final int COPY_BUFFER_BYTES = 256 * 1024;

    /** Opens an object's file for reading; tests substitute one that fails midway. */
    @FunctionalInterface
    interface FileOpener {
        ReadableByteChannel open(Path file) throws IOException;
    }

    private final Path root;
    private final FileOpener opener;

    /** A store in {@code root}, which is created if missing. */
    public LocalObjectStore(Path root) {
        this(root, file -> FileChannel.open(file, READ));
    }

    LocalObjectStore(Path root, FileOpener opener) {
        this.root = requireNonNull(root, "root").toAbsolutePath().normalize();
        this.opener = requireNonNull(opener, "opener");
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new ObjectStoreException(Reason.LOCAL_IO,
                    "cannot create the object store directory " + this.root + ": " + e, e);
        }
    }

    /** The directory objects are stored in. */
    public Path root() {
        return root;
    }

    @Override
    public void put(String key, Path file) {
        Path object = resolve(key);
        requireNonNull(file, "file");
        ReadableByteChannel source;
        try {
            source = FileChannel.open(file, READ);
        } catch (NoSuchFileException e) {
            throw new ObjectStoreException(Reason.LOCAL_IO, "cannot store " + file + " as '" + key + "': no such file",
                    e);
        } catch (IOException e) {
            throw new ObjectStoreException(Reason.LOCAL_IO,
                    "cannot store " + file + " as '" + key + "': cannot read it: " + e, e);
        }
        try (source) {
            Files.createDirectories(object.getParent());
            AtomicFile.write(object, target -> copy(source, target));
        } catch (IOException e) {
            throw new ObjectStoreException(Reason.LOCAL_IO,
                    "cannot store " + file + " as '" + key + "' in " + root + ": " + e, e);
        }
    }

    @Override
    public void get(String key, Path target) {
        Path object = resolve(key);
        requireNonNull(target, "target");
        ReadableByteChannel source;
        try {
            if (!Files.isRegularFile(object)) {
                throw notFound("get", key, null);
            }
            source = opener.open(object);
        } catch (NoSuchFileException e) {
            throw notFound("get", key, e);
        } catch (IOException e) {
            throw new ObjectStoreException(Reason.LOCAL_IO, "cannot read '" + key + "' (" + object + "): " + e, e);
        }
        try (source) {
            AtomicFile.write(target, channel -> copy(source, channel));
        } catch (IOException e) {
            throw new ObjectStoreException(Reason.LOCAL_IO,
                    "cannot copy '" + key + "' (" + object + ") to " + target + ": " + e, e);
        }
    }

    private static void copy(ReadableByteChannel source, FileChannel target) throws IOException {
        if (source instanceof FileChannel file) {
            long size = file.size();
            long position = 0;
            while (position < size) {
                position += file.transferTo(position, size - position, target);
            }
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER_BYTES);
        while (source.read(buffer) >= 0) {
            buffer.flip();
            while (buffer.hasRemaining()) {
                target.write(buffer);
            }
            buffer.clear();
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public long size(String key) {
        Path object = resolve(key);
        try {
            BasicFileAttributes attributes = Files.readAttributes(object, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw notFound("size", key, null);
            }
            return attributes.size();
        } catch (NoSuchFileException e) {
            throw notFound("size", key, e);
        } catch (IOException e) {
            throw new ObjectStoreException(Reason.LOCAL_IO, "cannot read the size of '" + key + "': " + e, e);
        }
    }

    @Override
    public void delete(String key) {
        Path object = resolve(key);
        try {
            if (Files.isRegularFile(object, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(object);
            }
        } catch (IOException e) {
            throw new ObjectStoreException(Reason.LOCAL_IO, "cannot delete '" + key + "' (" + object + "): " + e, e);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        ObjectKey.validatePrefix(prefix);
        int lastSlash = prefix.lastIndexOf('/');
        Path start = lastSlash < 0 ? root : root.resolve(prefix.substring(0, lastSlash));
        List<ObjectInfo> objects = new ArrayList<>();
        if (!Files.isDirectory(start)) {
            return objects;
        }
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && !AtomicFile.isTemp(file)) {
                        String key = keyOf(file);
                        if (key.startsWith(prefix)) {
                            objects.add(new ObjectInfo(key, attributes.size(),
                                    attributes.lastModifiedTime().toInstant()));
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // deleted while we walked
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new ObjectStoreException(Reason.LOCAL_IO, "cannot list '" + prefix + "' in " + root + ": " + e, e);
        }
        objects.sort(Comparator.comparing(ObjectInfo::key));
        return objects;
    }

    @Override
    public void check() {
        if (!Files.isDirectory(root)) {
            throw new ObjectStoreException(Reason.BUCKET_NOT_FOUND,
                    "the object store directory " + root + " does not exist or is not a directory");
        }
        if (!Files.isWritable(root)) {
            throw new ObjectStoreException(Reason.ACCESS_DENIED,
                    "the object store directory " + root + " is not writable by this process",
                    new AccessDeniedException(root.toString()));
        }
    }

    @Override
    public void close() {
        // Nothing is held between calls.
    }

    @Override
    public String toString() {
        return "LocalObjectStore[" + root + "]";
    }

    private Path resolve(String key) {
        ObjectKey.validate(key);
        return root.resolve(key);
    }

    private String keyOf(Path file) {
        String relative = root.relativize(file).toString();
        return file.getFileSystem().getSeparator().equals("/")
                ? relative
                : relative.replace(file.getFileSystem().getSeparator(), "/");
    }

    private ObjectStoreException notFound(String action, String key, Exception cause) {
        return new ObjectStoreException(Reason.NOT_FOUND,
                "cannot " + action + " '" + key + "': no such key in " + root, cause);
    }
}
