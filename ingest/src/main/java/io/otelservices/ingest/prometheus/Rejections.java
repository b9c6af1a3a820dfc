package io.otelservices.ingest.prometheus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The samples of one request that were not stored, by reason, with the first few explanations for the 400 answer.
 * Not thread-safe (one per request).
 */
final class Rejections {

    /** Why samples were rejected; {@link #tagValue()} is the {@code reason} tag of the rejected-samples counter. */
    enum Reason {
        MISSING_METRIC_NAME, INVALID_LABEL, DUPLICATE_LABEL, OUT_OF_ORDER, DUPLICATE_TIMESTAMP, OUT_OF_BOUNDS,
        NATIVE_HISTOGRAM;

        /** The name in lower case, e.g. {@code out_of_order}. */
        String tagValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Explanations kept for the answer; the rest are only counted. */
    static final int MAX_MESSAGES = 10;
    /** An explanation is cut at this many characters (a series may carry long labels). */
    static final int MAX_MESSAGE_LENGTH = 512;

    private final long[] samplesByReason = new long[Reason.values().length];
    private final List<String> messages = new ArrayList<>(0);
    private long samples;
    private int errors;

    /** Whether the next explanation is kept; callers build one only then. */
    boolean wantsMessage() {
        return messages.size() < MAX_MESSAGES;
    }

    /**
     * Rejects {@code sampleCount} samples for {@code reason}, explained by {@code message} ({@code null} once
     * {@link #wantsMessage()} is false).
     */
    void add(Reason reason, long sampleCount, String message) {
        samplesByReason[reason.ordinal()] += sampleCount;
        samples += sampleCount;
        errors++;
        if (message != null && messages.size() < MAX_MESSAGES) {
            messages.add(message.length() <= MAX_MESSAGE_LENGTH ? message
                    : message.substring(0, MAX_MESSAGE_LENGTH) + "...");
        }
    }

    boolean isEmpty() {
        return errors == 0;
    }

    /** Samples rejected in all. */
    long samples() {
        return samples;
    }

    long samples(Reason reason) {
        return samplesByReason[reason.ordinal()];
    }

    /** The first explanation, for logs. */
    String firstMessage() {
        return messages.isEmpty() ? "" : messages.get(0);
    }

    /**
     * The plain-text body of the 400 answer: how many samples were rejected and stored, then one explanation per
     * line.
     */
    String answer(long storedSamples) {
        StringBuilder text = new StringBuilder(256);
        if (storedSamples == 0) {
            text.append(samples).append(samples == 1 ? " sample" : " samples").append(" rejected, none stored:\n");
        } else {
            text.append(samples).append(" of ").append(samples + storedSamples)
                    .append(" samples rejected (the others were stored):\n");
        }
        for (String message : messages) {
            text.append(message).append('\n');
        }
        if (errors > messages.size()) {
            text.append("... and ").append(errors - messages.size()).append(" more errors\n");
        }
        return text.toString();
    }
}
