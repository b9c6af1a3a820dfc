/**
 * PromQL text to a typed AST and back: lexer, recursive-descent parser with Prometheus' type checks and error
 * messages, and the printer ({@link io.otelservices.query.promql.parser.Expr#toString()}).
 */
package io.otelservices.query.promql.parser;
