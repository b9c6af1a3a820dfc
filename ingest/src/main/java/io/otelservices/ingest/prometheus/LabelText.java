package io.otelservices.ingest.prometheus;

/** A series' labels as Prometheus prints them in errors: {@code {__name__="up", job="api"}}. */
final class LabelText {

    /** Labels beyond this many characters are cut: the text goes into answers and logs. */
    static final int MAX_LENGTH = 300;

    private LabelText() {}

    static String of(DecodedSeries series) {
        StringBuilder text = new StringBuilder(64).append('{');
        for (int i = 0; i < series.labelCount() && text.length() < MAX_LENGTH; i++) {
            if (i > 0) {
                text.append(", ");
            }
            appendPart(text, series.labelName(i));
            text.append("=\"");
            appendPart(text, series.labelValue(i));
            text.append('"');
        }
        if (text.length() >= MAX_LENGTH) {
            text.setLength(MAX_LENGTH);
            text.append("...");
        }
        return text.append('}').toString();
    }

    private static void appendPart(StringBuilder text, String part) {
        if (part == null) {
            text.append("<not UTF-8>");
            return;
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                default -> text.append(c);
            }
        }
    }
}
