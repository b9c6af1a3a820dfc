package io.otelservices.storage.objectstore;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see the old file or the whole new one: bytes go to a temporary sibling, which is
 * forced to disk and renamed over the target, and the directory entry is forced too. Temporary files end in
 * {@link #TEMP_SUFFIX}, so whoever owns the directory can delete leftovers of a crash.
 */
final class AtomicFile {
    /** The suffix of every temporary file this module writes. */
    static final String TEMP_SUFFIX = ".objectstore-tmp";

    /** Fills a freshly created, empty channel. */
    @FunctionalInterface
    interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFile() {}

    /**
     * Writes {@code target} from {@code content}. On any failure, including an unchecked exception from
     * {@code content}, the temporary file is deleted and {@code target} is left as it was.
     */
    static void write(Path target, Content content) throws IOException {
        Path temp = tempSibling(target);
        boolean committed = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, CREATE_NEW, WRITE)) {
                content.writeTo(channel);
                channel.force(true);
            }
            Files.move(temp, target, ATOMIC_MOVE, REPLACE_EXISTING);
            committed = true;
            forceDirectory(target.toAbsolutePath().getParent());
        } finally {
            if (!committed) {
                deleteQuietly(temp);
            }
        }
    }

    /** Whether {@code file} is one of this module's temporary files. */
    static boolean isTemp(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().endsWith(TEMP_SUFFIX);
    }

    static Path tempSibling(Path target) {
        Path name = target.getFileName();
        if (name == null) {
            throw new IllegalArgumentException("target: " + target + " (expected: a file path)");
        }
        String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        return target.resolveSibling("." + name + "." + random + TEMP_SUFFIX);
    }

    /** Forces a directory's entries (a rename, a new file) to disk where the platform allows it. */
    static void forceDirectory(Path directory) {
        if (directory == null) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every platform can open a directory (Windows cannot); the rename itself is still atomic there.
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The original failure matters more; a leftover temporary file is removed by the directory's owner.
        }
    }
}
