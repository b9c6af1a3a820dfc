package io.otelservices.query.prometheus.mapping;

import io.otelservices.query.promql.LabelMatcher;
import io.otelservices.query.promql.Labels;
import io.otelservices.storage.AttributeFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * What a list of label matchers asks of storage. {@code __name__} matchers pick metric families by their Prometheus
 * names; equality matchers that can only be satisfied by one stored attribute are pushed down: {@code job} (without
 * a {@code /}) as the service name, {@code instance} as {@code service.instance.id}, and a label without {@code _}
 * as the attribute of the same key (sanitising only ever writes {@code _}, so no other key becomes that name).
 * Every matcher is still checked on the translated labels; pushdowns only narrow what is read. Immutable.
 *
 * <p>One corner is not exact: a point attribute named {@code job} or {@code instance} becomes that label when the
 * resource has no {@code service.name} or {@code service.instance.id}, but the pushdown looks at the resource only.
 */
final class Selection {

    private final List<LabelMatcher> nameMatchers;
    private final String serviceName;
    private final List<AttributeFilter> attributes;

    private Selection(List<LabelMatcher> nameMatchers, String serviceName, List<AttributeFilter> attributes) {
        this.nameMatchers = nameMatchers;
        this.serviceName = serviceName;
        this.attributes = attributes;
    }

    static Selection of(List<LabelMatcher> matchers) {
        List<LabelMatcher> names = new ArrayList<>();
        String serviceName = null;
        List<AttributeFilter> attributes = new ArrayList<>();
        for (LabelMatcher matcher : matchers) {
            String label = matcher.name();
            if (label.equals(Labels.METRIC_NAME)) {
                names.add(matcher);
                continue;
            }
            if (matcher.type() != LabelMatcher.Type.EQUAL || matcher.value().isEmpty()) {
                continue;
            }
            if (label.equals(SeriesLabels.JOB)) {
                if (serviceName == null && matcher.value().indexOf('/') < 0) {
                    serviceName = matcher.value();
                }
            } else if (label.equals(SeriesLabels.INSTANCE)) {
                attributes.add(new AttributeFilter(SeriesLabels.SERVICE_INSTANCE_ID, matcher.value()));
            } else if (label.indexOf('_') < 0 && !label.equals(SeriesLabels.BUCKET_BOUND)
                    && !label.equals(SeriesLabels.QUANTILE)) {
                attributes.add(new AttributeFilter(label, matcher.value()));
            }
        }
        return new Selection(List.copyOf(names), serviceName, List.copyOf(attributes));
    }

    /** Whether the {@code __name__} matchers accept {@code metricName}. */
    boolean selectsName(String metricName) {
        for (LabelMatcher matcher : nameMatchers) {
            if (!matcher.matches(metricName)) {
                return false;
            }
        }
        return true;
    }

    /** The service name to read, or {@code null} for any. */
    String serviceName() {
        return serviceName;
    }

    /** Attribute filters to read with. */
    List<AttributeFilter> attributes() {
        return attributes;
    }
}
