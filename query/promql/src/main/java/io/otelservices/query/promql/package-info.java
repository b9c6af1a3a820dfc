/**
 * The PromQL engine (DESIGN.md §6): parser and evaluator over the storage series-select interface, checked against
 * Prometheus' own conformance scripts ({@code ../shared/testdata/promql/}, read by the tests'
 * {@code conformance} package). See the module README.
 */
package io.otelservices.query.promql;
