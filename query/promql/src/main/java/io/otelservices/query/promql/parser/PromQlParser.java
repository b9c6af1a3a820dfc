package io.otelservices.query.promql.parser;

import io.otelservices.query.promql.LabelMatcher;
import io.otelservices.query.promql.Labels;
import io.otelservices.query.promql.parser.Expr.AggregateExpr;
import io.otelservices.query.promql.parser.Expr.AtModifier;
import io.otelservices.query.promql.parser.Expr.BinaryExpr;
import io.otelservices.query.promql.parser.Expr.Call;
import io.otelservices.query.promql.parser.Expr.Cardinality;
import io.otelservices.query.promql.parser.Expr.MatrixSelector;
import io.otelservices.query.promql.parser.Expr.NumberLiteral;
import io.otelservices.query.promql.parser.Expr.ParenExpr;
import io.otelservices.query.promql.parser.Expr.StringLiteral;
import io.otelservices.query.promql.parser.Expr.SubqueryExpr;
import io.otelservices.query.promql.parser.Expr.UnaryExpr;
import io.otelservices.query.promql.parser.Expr.VectorMatching;
import io.otelservices.query.promql.parser.Expr.VectorSelector;
import io.otelservices.query.promql.parser.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.PatternSyntaxException;

/**
 * Parses PromQL (recursive descent with precedence climbing for binary operators) and type-checks the result the way
 * Prometheus does, with its error messages. Thread-safe: each call parses on its own.
 */
public final class PromQlParser {

    private final String query;
    private final List<Token> tokens;
    private int index;

    private PromQlParser(String query) {
        this.query = query;
        this.tokens = Lexer.tokens(query);
    }

    /**
     * The expression {@code query} holds.
     *
     * @throws ParseException with Prometheus' message and the position when it is not a valid expression
     */
    public static Expr parse(String query) {
        PromQlParser parser = new PromQlParser(query);
        if (parser.peek().kind() == Kind.EOF) {
            throw parser.error(parser.peek(), "no expression found in input");
        }
        Expr expr = parser.expression(0);
        Token rest = parser.peek();
        if (rest.kind() != Kind.EOF) {
            throw parser.error(rest, "unexpected " + rest.describe());
        }
        return expr;
    }

    /**
     * The matchers of a series selector such as a {@code match[]} parameter: {@code name{matchers}} or
     * {@code {matchers}}, without offset or range.
     */
    public static List<LabelMatcher> parseSeriesSelector(String selector) {
        Expr expr = parse(selector);
        if (!(expr instanceof VectorSelector vector) || vector.offsetMillis() != 0 || vector.at() != AtModifier.NONE
                || vector.atMillis() != null) {
            throw new ParseException(selector, expr.position(),
                    "expected type instant vector selector, got " + expr.type().displayName());
        }
        return vector.matchers();
    }

    // ---- expressions ------------------------------------------------------------------------------------------

    private Expr expression(int minPrecedence) {
        Expr lhs = unary();
        while (true) {
            Token token = peek();
            BinaryOp op = binaryOp(token);
            if (op == null || op.precedence() < minPrecedence) {
                return lhs;
            }
            advance();
            boolean returnBool = false;
            if (isWord(peek(), "bool")) {
                advance();
                returnBool = true;
            }
            VectorMatching matching = vectorMatching(op);
            int nextMin = op.isRightAssociative() ? op.precedence() : op.precedence() + 1;
            Expr rhs = expression(nextMin);
            lhs = binary(op, lhs, rhs, matching, returnBool, token);
        }
    }

    private VectorMatching vectorMatching(BinaryOp op) {
        Token token = peek();
        boolean on;
        if (isWord(token, "on")) {
            on = true;
        } else if (isWord(token, "ignoring")) {
            on = false;
        } else {
            return null;
        }
        advance();
        List<String> labels = labelList();
        Cardinality cardinality = Cardinality.ONE_TO_ONE;
        List<String> include = List.of();
        Token group = peek();
        if (isWord(group, "group_left") || isWord(group, "group_right")) {
            advance();
            cardinality = isWord(group, "group_left") ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
            if (peek().kind() == Kind.LEFT_PAREN) {
                include = labelList();
            }
        }
        return new VectorMatching(cardinality, labels, on, include);
    }

    private Expr binary(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool, Token opToken) {
        PositionRange position = PositionRange.span(lhs.position(), rhs.position());
        ValueType left = lhs.type();
        ValueType right = rhs.type();
        if (returnBool && !op.isComparison()) {
            throw error(opToken, "bool modifier can only be used on comparison operators");
        }
        if (op.isComparison() && !returnBool && left == ValueType.SCALAR && right == ValueType.SCALAR) {
            throw error(position, "comparisons between scalars must use BOOL modifier");
        }
        if ((left != ValueType.SCALAR && left != ValueType.VECTOR)
                || (right != ValueType.SCALAR && right != ValueType.VECTOR)) {
            throw error(position, "binary expression must contain only scalar and instant vector types");
        }
        boolean bothVectors = left == ValueType.VECTOR && right == ValueType.VECTOR;
        if (matching != null && !bothVectors) {
            throw error(position, "vector matching only allowed between instant vectors");
        }
        if (op.isSetOperator()) {
            if (left == ValueType.SCALAR || right == ValueType.SCALAR) {
                throw error(position, "set operator \"" + op.spelling() + "\" not allowed in binary scalar expression");
            }
            if (matching != null && (matching.cardinality() == Cardinality.MANY_TO_ONE
                    || matching.cardinality() == Cardinality.ONE_TO_MANY)) {
                throw error(position, "no grouping allowed for \"" + op.spelling() + "\" operation");
            }
            matching = matching == null
                    ? new VectorMatching(Cardinality.MANY_TO_MANY, List.of(), false, List.of())
                    : new VectorMatching(Cardinality.MANY_TO_MANY, matching.labels(), matching.on(), List.of());
        } else if (bothVectors && matching == null) {
            matching = VectorMatching.ONE_TO_ONE;
        }
        if (matching != null && matching.on()) {
            for (String label : matching.include()) {
                if (matching.labels().contains(label)) {
                    throw error(position, "label \"" + label + "\" must not occur in ON and GROUP clause at once");
                }
            }
        }
        return new BinaryExpr(op, lhs, rhs, matching, returnBool, position);
    }

    /** Unary minus and plus bind less tightly than {@code ^}: {@code -2 ^ 2} is {@code -(2 ^ 2)}. */
    private Expr unary() {
        Token token = peek();
        if (token.kind() == Kind.SUB || token.kind() == Kind.ADD) {
            advance();
            Expr operand = expression(BinaryOp.POW.precedence());
            if (operand.type() != ValueType.SCALAR && operand.type() != ValueType.VECTOR) {
                throw error(new PositionRange(token.start(), operand.position().end()),
                        "unary expression only allowed on expressions of type scalar or instant vector, got \""
                                + operand.type().displayName() + "\"");
            }
            PositionRange position = new PositionRange(token.start(), operand.position().end());
            boolean negate = token.kind() == Kind.SUB;
            if (operand instanceof NumberLiteral number) {
                return new NumberLiteral(negate ? -number.value() : number.value(), position);
            }
            return new UnaryExpr(negate, operand, position);
        }
        return postfix(primary());
    }

    /** Ranges, subqueries, {@code offset} and {@code @} after an expression. */
    private Expr postfix(Expr expr) {
        while (true) {
            Token token = peek();
            if (token.kind() == Kind.LEFT_BRACKET) {
                expr = rangeOrSubquery(expr);
            } else if (isWord(token, "offset")) {
                advance();
                long offset = signedDuration();
                expr = withOffset(expr, offset, token);
            } else if (token.kind() == Kind.AT) {
                advance();
                expr = withAt(expr, token);
            } else {
                return expr;
            }
        }
    }

    private Expr rangeOrSubquery(Expr expr) {
        Token open = advance();
        long range = duration("range");
        if (peek().kind() == Kind.RIGHT_BRACKET) {
            Token close = advance();
            if (!(expr instanceof VectorSelector selector)) {
                throw error(new PositionRange(expr.position().start(), close.end()),
                        "ranges only allowed for vector selectors");
            }
            if (selector.offsetMillis() != 0 || selector.atMillis() != null || selector.at() != AtModifier.NONE) {
                throw error(open, "no offset or @ modifiers allowed before range");
            }
            if (range <= 0) {
                throw error(open, "range must be greater than 0");
            }
            return new MatrixSelector(selector, range, new PositionRange(expr.position().start(), close.end()));
        }
        expect(Kind.COLON, "\":\" or \"]\"");
        long step = 0;
        if (peek().kind() != Kind.RIGHT_BRACKET) {
            step = duration("step");
        }
        Token close = expect(Kind.RIGHT_BRACKET, "\"]\"");
        if (expr.type() != ValueType.VECTOR) {
            throw error(new PositionRange(expr.position().start(), close.end()),
                    "subquery is only allowed on instant vector, got " + expr.type().displayName() + " instead");
        }
        if (range <= 0) {
            throw error(open, "range must be greater than 0");
        }
        if (step < 0) {
            throw error(open, "step must be greater than 0");
        }
        return new SubqueryExpr(expr, range, step, 0, null, AtModifier.NONE,
                new PositionRange(expr.position().start(), close.end()));
    }

    private Expr withOffset(Expr expr, long offset, Token token) {
        if (expr instanceof VectorSelector selector) {
            if (selector.offsetMillis() != 0) {
                throw error(token, "offset may not be set multiple times");
            }
            return selector.withModifiers(offset, selector.atMillis(), selector.at(), extend(expr, previous()));
        }
        if (expr instanceof MatrixSelector matrix) {
            VectorSelector selector = matrix.selector();
            if (selector.offsetMillis() != 0) {
                throw error(token, "offset may not be set multiple times");
            }
            return new MatrixSelector(selector.withModifiers(offset, selector.atMillis(), selector.at(),
                    selector.position()), matrix.rangeMillis(), extend(expr, previous()));
        }
        if (expr instanceof SubqueryExpr subquery) {
            if (subquery.offsetMillis() != 0) {
                throw error(token, "offset may not be set multiple times");
            }
            return new SubqueryExpr(subquery.expr(), subquery.rangeMillis(), subquery.stepMillis(), offset,
                    subquery.atMillis(), subquery.at(), extend(expr, previous()));
        }
        throw error(token, "offset modifier must be preceded by an instant vector selector or range vector selector "
                + "or a subquery");
    }

    private Expr withAt(Expr expr, Token token) {
        Long atMillis = null;
        AtModifier at = AtModifier.NONE;
        Token value = peek();
        if ((isWord(value, "start") || isWord(value, "end")) && peekAhead(1).kind() == Kind.LEFT_PAREN) {
            advance();
            advance();
            expect(Kind.RIGHT_PAREN, "\")\"");
            at = isWord(value, "start") ? AtModifier.START : AtModifier.END;
        } else {
            boolean negative = false;
            if (value.kind() == Kind.SUB || value.kind() == Kind.ADD) {
                negative = value.kind() == Kind.SUB;
                advance();
                value = peek();
            }
            if (value.kind() != Kind.NUMBER) {
                throw error(value, "unexpected " + value.describe() + " in @, expected timestamp");
            }
            advance();
            double seconds = Numbers.parse(value.text());
            if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                throw error(value, "timestamp out of bounds for @ modifier: " + Numbers.format(seconds));
            }
            atMillis = Math.round((negative ? -seconds : seconds) * 1000);
        }
        if (expr instanceof VectorSelector selector) {
            checkAtUnset(selector.atMillis(), selector.at(), token);
            return selector.withModifiers(selector.offsetMillis(), atMillis, at, extend(expr, previous()));
        }
        if (expr instanceof MatrixSelector matrix) {
            VectorSelector selector = matrix.selector();
            checkAtUnset(selector.atMillis(), selector.at(), token);
            return new MatrixSelector(selector.withModifiers(selector.offsetMillis(), atMillis, at,
                    selector.position()), matrix.rangeMillis(), extend(expr, previous()));
        }
        if (expr instanceof SubqueryExpr subquery) {
            checkAtUnset(subquery.atMillis(), subquery.at(), token);
            return new SubqueryExpr(subquery.expr(), subquery.rangeMillis(), subquery.stepMillis(),
                    subquery.offsetMillis(), atMillis, at, extend(expr, previous()));
        }
        throw error(token, "@ modifier must be preceded by an instant vector selector or range vector selector or a "
                + "subquery");
    }

    private void checkAtUnset(Long atMillis, AtModifier at, Token token) {
        if (atMillis != null || at != AtModifier.NONE) {
            throw error(token, "@ <timestamp> may not be set multiple times");
        }
    }

    private Expr primary() {
        Token token = peek();
        switch (token.kind()) {
            case NUMBER -> {
                advance();
                return new NumberLiteral(number(token), token.position());
            }
            case DURATION -> {
                // A bare duration is a number of seconds (Prometheus 3).
                advance();
                return new NumberLiteral(Durations.parseMillis(token.text()) / 1000.0, token.position());
            }
            case STRING -> {
                advance();
                return new StringLiteral(token.text(), token.position());
            }
            case LEFT_PAREN -> {
                advance();
                Expr inner = expression(0);
                Token close = expect(Kind.RIGHT_PAREN, "\")\"");
                return new ParenExpr(inner, new PositionRange(token.start(), close.end()));
            }
            case LEFT_BRACE -> {
                return selector(null, token);
            }
            case IDENTIFIER, METRIC_IDENTIFIER -> {
                return identifierExpression(token);
            }
            case EOF -> throw error(token, "unexpected end of input");
            default -> throw error(token, "unexpected " + token.describe());
        }
    }

    private Expr identifierExpression(Token token) {
        advance();
        String word = token.text();
        AggregationOp aggregation = token.kind() == Kind.IDENTIFIER ? AggregationOp.of(word) : null;
        if (aggregation != null && (peek().kind() == Kind.LEFT_PAREN || isWord(peek(), "by")
                || isWord(peek(), "without"))) {
            return aggregate(aggregation, token);
        }
        if (token.kind() == Kind.IDENTIFIER && peek().kind() == Kind.LEFT_PAREN) {
            Function function = Function.named(word);
            if (function == null) {
                throw error(token, "unknown function with name \"" + word + "\"");
            }
            return call(function, token);
        }
        if (token.kind() == Kind.IDENTIFIER && Lexer.isKeyword(word)) {
            throw error(token, "unexpected " + token.describe());
        }
        return selector(word, token);
    }

    private Expr call(Function function, Token nameToken) {
        advance();
        List<Expr> args = new ArrayList<>();
        if (peek().kind() != Kind.RIGHT_PAREN) {
            while (true) {
                args.add(expression(0));
                if (peek().kind() == Kind.COMMA) {
                    advance();
                    if (peek().kind() == Kind.RIGHT_PAREN) {
                        break;
                    }
                    continue;
                }
                break;
            }
        }
        Token close = expect(Kind.RIGHT_PAREN, "\",\" or \")\"");
        PositionRange position = new PositionRange(nameToken.start(), close.end());
        checkArguments(function, args, position);
        return new Call(function, args, position);
    }

    private void checkArguments(Function function, List<Expr> args, PositionRange position) {
        int declared = function.argTypes().size();
        if (function.variadic() == 0) {
            if (declared != args.size()) {
                throw error(position, "expected " + declared + " argument(s) in call to \"" + function.name()
                        + "\", got " + args.size());
            }
        } else {
            int least = declared - 1;
            if (least > args.size()) {
                throw error(position, "expected at least " + least + " argument(s) in call to \"" + function.name()
                        + "\", got " + args.size());
            }
            int most = least + function.variadic();
            if (function.variadic() > 0 && most < args.size()) {
                throw error(position, "expected at most " + most + " argument(s) in call to \"" + function.name()
                        + "\", got " + args.size());
            }
        }
        for (int i = 0; i < args.size(); i++) {
            ValueType expected = function.argType(i);
            Expr arg = args.get(i);
            if (arg.type() != expected) {
                throw error(arg.position(), "expected type " + expected.displayName() + " in call to function \""
                        + function.name() + "\", got " + arg.type().displayName());
            }
        }
    }

    private Expr aggregate(AggregationOp op, Token opToken) {
        List<String> grouping = List.of();
        boolean without = false;
        boolean groupingGiven = false;
        if (isWord(peek(), "by") || isWord(peek(), "without")) {
            without = isWord(advance(), "without");
            grouping = labelList();
            groupingGiven = true;
        }
        expect(Kind.LEFT_PAREN, "\"(\"");
        List<Expr> args = new ArrayList<>();
        if (peek().kind() != Kind.RIGHT_PAREN) {
            args.add(expression(0));
            while (peek().kind() == Kind.COMMA) {
                advance();
                if (peek().kind() == Kind.RIGHT_PAREN) {
                    break;
                }
                args.add(expression(0));
            }
        }
        Token close = expect(Kind.RIGHT_PAREN, "\",\" or \")\"");
        int end = close.end();
        if (isWord(peek(), "by") || isWord(peek(), "without")) {
            if (groupingGiven) {
                throw error(peek(), "unexpected " + peek().describe());
            }
            without = isWord(advance(), "without");
            grouping = labelList();
            end = previous().end();
        }
        PositionRange position = new PositionRange(opToken.start(), end);
        int expected = op.parameterType() == null ? 1 : 2;
        if (args.size() != expected) {
            throw error(position, "wrong number of arguments for aggregate expression provided, expected "
                    + expected + ", got " + args.size());
        }
        Expr param = expected == 2 ? args.get(0) : null;
        Expr expr = args.get(expected - 1);
        if (expr.type() != ValueType.VECTOR) {
            throw error(expr.position(), "expected type instant vector in aggregation expression, got "
                    + expr.type().displayName());
        }
        if (param != null && param.type() != op.parameterType()) {
            throw error(param.position(), "expected type " + op.parameterType().displayName()
                    + " in aggregation parameter, got " + param.type().displayName());
        }
        return new AggregateExpr(op, expr, param, grouping, without, position);
    }

    /** {@code (a, b, "c.d")}: label names, possibly quoted, possibly keywords. */
    private List<String> labelList() {
        expect(Kind.LEFT_PAREN, "\"(\"");
        List<String> labels = new ArrayList<>();
        while (peek().kind() != Kind.RIGHT_PAREN) {
            Token token = advance();
            if (token.kind() == Kind.IDENTIFIER || token.kind() == Kind.STRING) {
                labels.add(token.text());
            } else {
                throw error(token, "unexpected " + token.describe() + " in grouping opts, expected label");
            }
            if (peek().kind() == Kind.COMMA) {
                advance();
            } else if (peek().kind() != Kind.RIGHT_PAREN) {
                throw error(peek(), "unexpected " + peek().describe() + " in grouping opts, expected \",\" or \")\"");
            }
        }
        advance();
        return labels;
    }

    /** {@code name{matchers}}, {@code name} or {@code {matchers}}; {@code name} may be null. */
    private Expr selector(String name, Token first) {
        List<LabelMatcher> matchers = new ArrayList<>();
        if (name != null) {
            matchers.add(LabelMatcher.equal(Labels.METRIC_NAME, name));
        }
        int end = first.end();
        String quotedName = null;
        if (peek().kind() == Kind.LEFT_BRACE) {
            advance();
            while (peek().kind() != Kind.RIGHT_BRACE) {
                Token labelToken = advance();
                String label;
                if (labelToken.kind() == Kind.IDENTIFIER) {
                    label = labelToken.text();
                } else if (labelToken.kind() == Kind.STRING) {
                    label = labelToken.text();
                    if (peek().kind() == Kind.COMMA || peek().kind() == Kind.RIGHT_BRACE) {
                        // {"metric.name"}: a quoted metric name (Prometheus 3).
                        if (name != null || quotedName != null) {
                            throw error(labelToken, "metric name must not be set twice: \""
                                    + (name != null ? name : quotedName) + "\" or \"" + label + "\"");
                        }
                        quotedName = label;
                        matchers.add(0, LabelMatcher.equal(Labels.METRIC_NAME, label));
                        if (peek().kind() == Kind.COMMA) {
                            advance();
                        }
                        continue;
                    }
                } else {
                    throw error(labelToken, "unexpected " + labelToken.describe()
                            + " in label matching, expected label");
                }
                Token opToken = advance();
                LabelMatcher.Type type = switch (opToken.kind()) {
                    case ASSIGN -> LabelMatcher.Type.EQUAL;
                    case NEQ -> LabelMatcher.Type.NOT_EQUAL;
                    case EQL_REGEX -> LabelMatcher.Type.REGEX;
                    case NEQ_REGEX -> LabelMatcher.Type.NOT_REGEX;
                    default -> throw error(opToken, "unexpected " + opToken.describe()
                            + " in label matching, expected label matching operator");
                };
                Token valueToken = advance();
                if (valueToken.kind() != Kind.STRING) {
                    throw error(valueToken, "unexpected " + valueToken.describe()
                            + " in label matching, expected string");
                }
                try {
                    matchers.add(LabelMatcher.of(type, label, valueToken.text()));
                } catch (PatternSyntaxException e) {
                    // At the selector's start, as Prometheus reports it.
                    throw error(first, "error parsing regexp: " + e.getDescription() + ": `"
                            + valueToken.text() + "`");
                }
                if (peek().kind() == Kind.COMMA) {
                    advance();
                } else if (peek().kind() != Kind.RIGHT_BRACE) {
                    throw error(peek(), "unexpected " + peek().describe()
                            + " in label matching, expected \",\" or \"}\"");
                }
            }
            end = advance().end();
        }
        PositionRange position = new PositionRange(first.start(), end);
        String metric = name != null ? name : quotedName != null ? quotedName : "";
        if (name != null) {
            for (LabelMatcher matcher : matchers.subList(1, matchers.size())) {
                if (matcher.name().equals(Labels.METRIC_NAME)) {
                    throw error(position, "metric name must not be set twice: \"" + name + "\" or \""
                            + matcher.value() + "\"");
                }
            }
        }
        boolean anyNonEmpty = false;
        for (LabelMatcher matcher : matchers) {
            anyNonEmpty |= !matcher.matchesEmpty();
        }
        if (!anyNonEmpty) {
            throw error(position, "vector selector must contain at least one non-empty matcher");
        }
        return new VectorSelector(metric, matchers, 0, null, AtModifier.NONE, position);
    }

    // ---- tokens ------------------------------------------------------------------------------------------------

    private long duration(String what) {
        Token token = advance();
        if (token.kind() == Kind.DURATION) {
            return Durations.parseMillis(token.text());
        }
        if (token.kind() == Kind.NUMBER) {
            double seconds = number(token);
            if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                throw error(token, "unexpected " + token.describe() + " in " + what + ", expected duration");
            }
            return Math.round(seconds * 1000);
        }
        throw error(token, "unexpected " + token.describe() + " in " + what + ", expected duration");
    }

    private long signedDuration() {
        boolean negative = false;
        if (peek().kind() == Kind.SUB || peek().kind() == Kind.ADD) {
            negative = advance().kind() == Kind.SUB;
        }
        long millis = duration("offset");
        return negative ? -millis : millis;
    }

    private double number(Token token) {
        try {
            return Numbers.parse(token.text());
        } catch (NumberFormatException e) {
            throw error(token, "bad number or duration syntax: \"" + token.text() + "\"");
        }
    }

    private static BinaryOp binaryOp(Token token) {
        return switch (token.kind()) {
            case ADD -> BinaryOp.ADD;
            case SUB -> BinaryOp.SUB;
            case MUL -> BinaryOp.MUL;
            case DIV -> BinaryOp.DIV;
            case MOD -> BinaryOp.MOD;
            case POW -> BinaryOp.POW;
            case EQLC -> BinaryOp.EQL;
            case NEQ -> BinaryOp.NEQ;
            case LSS -> BinaryOp.LSS;
            case LTE -> BinaryOp.LTE;
            case GTR -> BinaryOp.GTR;
            case GTE -> BinaryOp.GTE;
            case IDENTIFIER -> switch (token.text().toLowerCase(Locale.ROOT)) {
                case "and" -> BinaryOp.AND;
                case "or" -> BinaryOp.OR;
                case "unless" -> BinaryOp.UNLESS;
                case "atan2" -> BinaryOp.ATAN2;
                default -> null;
            };
            default -> null;
        };
    }

    private static boolean isWord(Token token, String word) {
        return token.kind() == Kind.IDENTIFIER && token.text().equalsIgnoreCase(word);
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token peekAhead(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    private Token advance() {
        Token token = tokens.get(index);
        if (token.kind() != Kind.EOF) {
            index++;
        }
        return token;
    }

    private Token previous() {
        return tokens.get(Math.max(0, index - 1));
    }

    private Token expect(Kind kind, String what) {
        Token token = peek();
        if (token.kind() != kind) {
            throw error(token, "unexpected " + token.describe() + ", expected " + what);
        }
        return advance();
    }

    private static PositionRange extend(Expr expr, Token last) {
        return new PositionRange(expr.position().start(), last.end());
    }

    private ParseException error(Token token, String reason) {
        return new ParseException(query, token.position(), reason);
    }

    private ParseException error(PositionRange position, String reason) {
        return new ParseException(query, position, reason);
    }
}
