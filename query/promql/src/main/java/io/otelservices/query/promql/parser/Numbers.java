package io.otelservices.query.promql.parser;

import java.math.BigDecimal;

/** Prometheus' float text: Go's {@code strconv.FormatFloat(v, 'f', -1, 64)} with {@code +Inf}, {@code -Inf}, {@code NaN}. */
public final class Numbers {

    private Numbers() {}

    /** The shortest decimal text that reads back as {@code value}, never in exponent form. */
    public static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            long whole = (long) value;
            return whole == 0 && 1 / value < 0 ? "-0" : Long.toString(whole);
        }
        return new BigDecimal(Double.toString(value)).toPlainString();
    }

    /**
     * Parses a PromQL number: decimal or hex integers, floats with exponents, {@code Inf}/{@code NaN} in any case,
     * with an optional sign.
     *
     * @throws NumberFormatException when it is none of those
     */
    public static double parse(String text) {
        String body = text;
        boolean negative = false;
        if (body.startsWith("+") || body.startsWith("-")) {
            negative = body.charAt(0) == '-';
            body = body.substring(1);
        }
        double value;
        if (body.equalsIgnoreCase("inf") || body.equalsIgnoreCase("infinity")) {
            value = Double.POSITIVE_INFINITY;
        } else if (body.equalsIgnoreCase("nan")) {
            value = Double.NaN;
        } else if (body.startsWith("0x") || body.startsWith("0X")) {
            value = Long.parseLong(body.substring(2).replace("_", ""), 16);
        } else if (body.length() > 1 && body.startsWith("0") && body.chars().allMatch(Character::isDigit)) {
            value = Long.parseLong(body, 8);
        } else {
            if (body.isEmpty() || body.endsWith("d") || body.endsWith("D") || body.endsWith("f") || body.endsWith("F")) {
                throw new NumberFormatException("not a number: " + text);
            }
            value = Double.parseDouble(body.replace("_", ""));
        }
        return negative ? -value : value;
    }
}
