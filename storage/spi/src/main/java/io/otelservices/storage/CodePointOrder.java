package io.otelservices.storage;

import java.util.Comparator;

/**
 * Orders strings by code point, which is the byte order of their UTF-8 text and so the order SQL backends sort
 * {@code VARCHAR}s in. {@link String#compareTo(String)} differs from it for supplementary characters.
 */
public final class CodePointOrder {

    public static final Comparator<String> INSTANCE = CodePointOrder::compare;

    private CodePointOrder() {}

    public static int compare(String left, String right) {
        int i = 0;
        int j = 0;
        while (i < left.length() && j < right.length()) {
            int a = left.codePointAt(i);
            int b = right.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Boolean.compare(i < left.length(), j < right.length());
    }
}
