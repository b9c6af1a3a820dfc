/**
 * The PromQL engine (DESIGN.md §6): parser and evaluator over the storage series-select interface, checked against
 * Prometheus' own conformance scripts ({@code ../shared/testdata/promql/}, read by the tests'
 * {@code conformance} package). Work in progress: the script reader is here first (docs/WORKLOG.md).
 */
package io.otelservices.query.promql;
