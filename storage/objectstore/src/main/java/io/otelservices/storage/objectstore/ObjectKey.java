package io.otelservices.storage.objectstore;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/** Checks keys and list prefixes against the rules in {@link ObjectStore}, the same for every store. */
final class ObjectKey {
    /** S3's limit on a key, in UTF-8 bytes. */
    static final int MAX_KEY_BYTES = 1024;

    private ObjectKey() {}

    /** Returns {@code key} if it is a valid key, else throws {@link IllegalArgumentException} saying why. */
    static String validate(String key) {
        requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException(
                    "key: \"\" (expected: a non-empty key such as traces/2026/block-01.parquet)");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "key: " + abbreviate(key) + " (expected: at most " + MAX_KEY_BYTES + " UTF-8 bytes)");
        }
        if (key.endsWith(AtomicFile.TEMP_SUFFIX)) {
            throw new IllegalArgumentException(
                    "key: " + key + " (expected: not ending in " + AtomicFile.TEMP_SUFFIX
                            + ", the suffix of temporary files)");
        }
        checkCharacters("key", key);
        checkSegments("key", key, key.length());
        return key;
    }

    /**
     * Returns {@code prefix} if it is a valid list prefix: empty, or a key's beginning. Its last segment may be
     * partial ({@code traces/2026-1}); the segments before the last {@code /} follow the key rules.
     */
    static String validatePrefix(String prefix) {
        requireNonNull(prefix, "prefix");
        if (prefix.isEmpty()) {
            return prefix;
        }
        checkCharacters("prefix", prefix);
        int lastSlash = prefix.lastIndexOf('/');
        if (lastSlash >= 0) {
            checkSegments("prefix", prefix, lastSlash);
        }
        return prefix;
    }

    private static void checkCharacters(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || Character.isISOControl(c)) {
                throw new IllegalArgumentException(
                        name + ": " + abbreviate(value)
                                + " (expected: no backslash or control character, found one at index " + i + ")");
            }
        }
    }

    /** Checks the {@code /}-separated segments of {@code value.substring(0, end)}. */
    private static void checkSegments(String name, String value, int end) {
        int start = 0;
        while (start <= end) {
            int slash = value.indexOf('/', start);
            int segmentEnd = slash < 0 || slash > end ? end : slash;
            String segment = value.substring(start, segmentEnd);
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(
                        name + ": " + abbreviate(value)
                                + " (expected: /-separated segments, none empty, '.' or '..', and no leading or "
                                + "trailing /)");
            }
            start = segmentEnd + 1;
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 120 ? value : value.substring(0, 120) + "...";
    }
}
