package io.otelservices.query.promql;

import java.nio.charset.StandardCharsets;

/**
 * A stable 64-bit hash of a label set, spread evenly over its range, for {@code limit_ratio}: the same series is
 * kept or dropped at every step and by every query. (Prometheus uses xxHash; any well-mixed hash keeps the
 * documented behaviour: about {@code ratio} of the series, complementary for {@code r} and {@code r - 1}.)
 */
final class LabelHash {

    private static final double TWO_TO_64 = 18446744073709551616.0;

    private LabelHash() {}

    /** The hash as a fraction in [0, 1). */
    static double ratio(Labels labels) {
        long hash = hash(labels);
        double unsigned = (hash >>> 1) * 2.0 + (hash & 1);
        return unsigned / TWO_TO_64;
    }

    static long hash(Labels labels) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < labels.size(); i++) {
            h = mix(h, labels.name(i));
            h = mix(h, labels.value(i));
        }
        // Final avalanche (SplitMix64) so that near-equal label sets land far apart.
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return h;
    }

    private static long mix(long h, String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= 0xff;
        h *= 0x100000001b3L;
        return h;
    }
}
