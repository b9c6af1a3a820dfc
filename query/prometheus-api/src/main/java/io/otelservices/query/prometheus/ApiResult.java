package io.otelservices.query.prometheus;

import java.util.List;

/**
 * What an endpoint answers with on success: the {@code data} value, the annotations beside it, and for PromQL
 * queries the samples they read (for self-metrics).
 */
record ApiResult(ResponseJson.DataWriter data, List<String> warnings, List<String> infos, long samplesRead) {

    ApiResult {
        warnings = List.copyOf(warnings);
        infos = List.copyOf(infos);
    }

    static ApiResult of(ResponseJson.DataWriter data) {
        return new ApiResult(data, List.of(), List.of(), 0);
    }

    static ApiResult of(ResponseJson.DataWriter data, List<String> warnings) {
        return new ApiResult(data, warnings, List.of(), 0);
    }
}
