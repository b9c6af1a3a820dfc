package io.otelservices.ingest.prometheus;

/**
 * A series' identity as a 128-bit hash of its sorted label set, the key of {@link SampleTracker}: 32 bytes instead
 * of the labels' text. Two label sets share a key with a probability near 2<sup>-128</sup> for honest input; a sender
 * that crafts collisions can only confuse the ordering checks of its own series. Never stored: the hash may change
 * between releases.
 */
record SeriesKey(long high, long low) {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long GOLDEN = 0x9e3779b97f4a7c15L;

    /**
     * The key of a series whose labels are valid and sorted by name ({@link DecodedSeries#sortLabels()}); labels with
     * an empty value are skipped, as Prometheus treats them as absent.
     */
    static SeriesKey of(DecodedSeries series) {
        // Two independent 64-bit lanes (FNV-1a and a multiply-rotate hash), each with a final avalanche.
        long[] lanes = {FNV_OFFSET, GOLDEN};
        for (int i = 0; i < series.labelCount(); i++) {
            String value = series.labelValue(i);
            if (!value.isEmpty()) {
                absorb(lanes, series.labelName(i));
                absorb(lanes, value);
            }
        }
        return new SeriesKey(mix(lanes[0]), mix(lanes[1] ^ lanes[0] >>> 17));
    }

    private static void absorb(long[] lanes, String text) {
        int length = text.length();
        long a = (lanes[0] ^ length) * FNV_PRIME;
        long b = Long.rotateLeft(lanes[1] ^ length, 29) * GOLDEN;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            a = (a ^ c) * FNV_PRIME;
            b = Long.rotateLeft(b + c, 31) * GOLDEN;
        }
        lanes[0] = a;
        lanes[1] = b;
    }

    /** MurmurHash3's 64-bit finaliser. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
