package io.otelservices.query.promql;

import io.otelservices.query.promql.parser.PositionRange;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The warnings and infos a query collects, each once, in Prometheus' wording with the position they refer to. */
final class Annotations {

    private final String query;
    private final Set<String> warnings = new LinkedHashSet<>();
    private final Set<String> infos = new LinkedHashSet<>();

    Annotations(String query) {
        this.query = query;
    }

    void warn(String message, PositionRange position) {
        warnings.add("PromQL warning: " + message + positionText(position));
    }

    void info(String message, PositionRange position) {
        infos.add("PromQL info: " + message + positionText(position));
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    List<String> infos() {
        return List.copyOf(infos);
    }

    private String positionText(PositionRange position) {
        if (position == null) {
            return "";
        }
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(position.start(), query.length()); i++) {
            if (query.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return " (" + line + ":" + column + ")";
    }
}
