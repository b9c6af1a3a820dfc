package io.otelservices.query.promql.parser;

import io.otelservices.query.promql.parser.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Splits a query into tokens. Comments ({@code # ...} to the end of the line) and whitespace are dropped. */
final class Lexer {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "atan2", "by", "without", "on",
            "ignoring", "group_left", "group_right", "bool", "offset");

    private final String query;
    private int position;
    // Nesting, for Prometheus' lexer messages: "unclosed left parenthesis", "... inside braces".
    private int parenDepth;
    private boolean insideBraces;
    private boolean insideBrackets;

    private Lexer(String query) {
        this.query = query;
    }

    static boolean isKeyword(String word) {
        return KEYWORDS.contains(word.toLowerCase(Locale.ROOT));
    }

    static List<Token> tokens(String query) {
        Lexer lexer = new Lexer(query);
        List<Token> tokens = new ArrayList<>();
        Token token;
        do {
            token = lexer.next();
            tokens.add(token);
        } while (token.kind() != Kind.EOF);
        return tokens;
    }

    private Token next() {
        skipSpaceAndComments();
        int start = position;
        if (position >= query.length()) {
            if (insideBraces) {
                throw error(start, start, "unexpected end of input inside braces");
            }
            if (insideBrackets) {
                throw error(start, start, "unclosed left bracket");
            }
            if (parenDepth > 0) {
                throw error(start, start, "unclosed left parenthesis");
            }
            return new Token(Kind.EOF, "", start, start);
        }
        char c = query.charAt(position);
        if (insideBraces && !isAllowedInsideBraces(c)) {
            throw error(start, start + 1, "unexpected character inside braces: '" + c + "'");
        }
        switch (c) {
            case '(':
                parenDepth++;
                return single(Kind.LEFT_PAREN);
            case ')':
                if (parenDepth == 0) {
                    throw error(start + 1, start + 1, "unexpected right parenthesis ')'");
                }
                parenDepth--;
                return single(Kind.RIGHT_PAREN);
            case '{':
                if (insideBraces) {
                    throw error(start, start + 1, "unexpected left brace '{'");
                }
                insideBraces = true;
                return single(Kind.LEFT_BRACE);
            case '}':
                if (!insideBraces) {
                    throw error(start + 1, start + 1, "unexpected right brace '}'");
                }
                insideBraces = false;
                return single(Kind.RIGHT_BRACE);
            case '[':
                if (insideBrackets) {
                    throw error(start, start + 1, "unexpected left bracket '['");
                }
                insideBrackets = true;
                return single(Kind.LEFT_BRACKET);
            case ']':
                if (!insideBrackets) {
                    throw error(start + 1, start + 1, "unexpected right bracket ']'");
                }
                insideBrackets = false;
                return single(Kind.RIGHT_BRACKET);
            case ',':
                return single(Kind.COMMA);
            case ':':
                return single(Kind.COLON);
            case '@':
                return single(Kind.AT);
            case '+':
                return single(Kind.ADD);
            case '-':
                return single(Kind.SUB);
            case '*':
                return single(Kind.MUL);
            case '/':
                return single(Kind.DIV);
            case '%':
                return single(Kind.MOD);
            case '^':
                return single(Kind.POW);
            case '=':
                if (peek(1) == '=') {
                    return pair(Kind.EQLC);
                }
                if (peek(1) == '~') {
                    return pair(Kind.EQL_REGEX);
                }
                return single(Kind.ASSIGN);
            case '!':
                if (peek(1) == '=') {
                    return pair(Kind.NEQ);
                }
                if (peek(1) == '~') {
                    return pair(Kind.NEQ_REGEX);
                }
                throw error(start, start + 1, "unexpected character after '!': " + describeChar(peek(1)));
            case '<':
                return peek(1) == '=' ? pair(Kind.LTE) : single(Kind.LSS);
            case '>':
                return peek(1) == '=' ? pair(Kind.GTE) : single(Kind.GTR);
            case '"':
            case '\'':
            case '`':
                return string(c);
            default:
                break;
        }
        if (Character.isDigit(c) || c == '.' && Character.isDigit(peek(1))) {
            return numberOrDuration();
        }
        if (isIdentifierStart(c)) {
            return identifier();
        }
        throw error(start, start + 1, "unexpected character: " + describeChar(c));
    }

    /** Inside braces only label names, strings, matcher operators and commas may appear. */
    private static boolean isAllowedInsideBraces(char c) {
        return isIdentifierStart(c) || c == '"' || c == '\'' || c == '`'
                || c == '=' || c == '!' || c == '~' || c == ',' || c == '}' || Character.isWhitespace(c)
                || c == '#';
    }

    private void skipSpaceAndComments() {
        while (position < query.length()) {
            char c = query.charAt(position);
            if (c == '#') {
                while (position < query.length() && query.charAt(position) != '\n') {
                    position++;
                }
            } else if (Character.isWhitespace(c)) {
                position++;
            } else {
                return;
            }
        }
    }

    private char peek(int ahead) {
        int index = position + ahead;
        return index < query.length() ? query.charAt(index) : '\0';
    }

    private Token single(Kind kind) {
        position++;
        return new Token(kind, query.substring(position - 1, position), position - 1, position);
    }

    private Token pair(Kind kind) {
        position += 2;
        return new Token(kind, query.substring(position - 2, position), position - 2, position);
    }

    private static boolean isIdentifierStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || c >= '0' && c <= '9';
    }

    /** Letters, digits and underscores: what may not directly follow a number or a duration. */
    private static boolean isWordPart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= '0' && c <= '9';
    }

    private Token identifier() {
        int start = position;
        boolean colon = false;
        while (position < query.length() && isIdentifierPart(query.charAt(position))) {
            colon |= query.charAt(position) == ':';
            position++;
        }
        String word = query.substring(start, position);
        if (word.equalsIgnoreCase("inf") || word.equalsIgnoreCase("nan")) {
            return new Token(Kind.NUMBER, word, start, position);
        }
        return new Token(colon ? Kind.METRIC_IDENTIFIER : Kind.IDENTIFIER, word, start, position);
    }

    /**
     * A number ({@code 1}, {@code 1.5e3}, {@code 0x1f}, {@code 1_000}) or a duration ({@code 5m}, {@code 1h30m},
     * {@code 100ms}): digits followed by a duration unit make a duration.
     */
    private Token numberOrDuration() {
        int start = position;
        if (peek(0) == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
            position += 2;
            while (position < query.length() && (Character.digit(query.charAt(position), 16) >= 0
                    || query.charAt(position) == '_')) {
                position++;
            }
            return new Token(Kind.NUMBER, query.substring(start, position), start, position);
        }
        if (isDurationAhead()) {
            while (position < query.length()
                    && (Character.isDigit(query.charAt(position)) || isUnitLetter(query.charAt(position)))) {
                position++;
            }
            return new Token(Kind.DURATION, query.substring(start, position), start, position);
        }
        while (position < query.length() && (Character.isDigit(query.charAt(position))
                || query.charAt(position) == '_')) {
            position++;
        }
        if (peek(0) == '.') {
            position++;
            while (position < query.length() && Character.isDigit(query.charAt(position))) {
                position++;
            }
        }
        if ((peek(0) == 'e' || peek(0) == 'E')
                && (Character.isDigit(peek(1)) || (peek(1) == '+' || peek(1) == '-') && Character.isDigit(peek(2)))) {
            position += 2;
            while (position < query.length() && Character.isDigit(query.charAt(position))) {
                position++;
            }
        }
        if (position < query.length() && isWordPart(query.charAt(position))) {
            int end = position;
            while (end < query.length() && isWordPart(query.charAt(end))) {
                end++;
            }
            throw error(start, end, "bad number or duration syntax: \"" + query.substring(start, end) + "\"");
        }
        return new Token(Kind.NUMBER, query.substring(start, position), start, position);
    }

    /** Whether the text at the position is digits+unit groups ({@code 1h30m}), not a number. */
    private boolean isDurationAhead() {
        int i = position;
        boolean any = false;
        while (i < query.length() && Character.isDigit(query.charAt(i))) {
            int digits = i;
            while (i < query.length() && Character.isDigit(query.charAt(i))) {
                i++;
            }
            if (digits == i) {
                return false;
            }
            int unitStart = i;
            if (i + 1 < query.length() && query.charAt(i) == 'm' && query.charAt(i + 1) == 's') {
                i += 2;
            } else if (i < query.length() && "smhdwy".indexOf(query.charAt(i)) >= 0) {
                i++;
            }
            if (unitStart == i) {
                return false;
            }
            any = true;
        }
        return any && (i >= query.length() || !isWordPart(query.charAt(i)));
    }

    private static boolean isUnitLetter(char c) {
        return "smhdwy".indexOf(c) >= 0;
    }

    private Token string(char quote) {
        int start = position;
        position++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (position >= query.length()) {
                throw error(start, position, "unterminated " + (quote == '`' ? "raw string" : "quoted string"));
            }
            char c = query.charAt(position);
            if (c == quote) {
                position++;
                return new Token(Kind.STRING, value.toString(), start, position);
            }
            if (quote != '`' && c == '\n') {
                throw error(start, position, "unterminated quoted string");
            }
            if (c == '\\' && quote != '`') {
                escape(quote, value);
                continue;
            }
            value.append(c);
            position++;
        }
    }

    /** Go's escapes in quoted strings: single-character, octal, {@code \x}, {@code \\u} and {@code \U}. */
    private void escape(char quote, StringBuilder value) {
        int start = position;
        position++;
        if (position >= query.length()) {
            throw error(start, position, "escape sequence not terminated");
        }
        char c = query.charAt(position++);
        switch (c) {
            case 'a' -> value.append('\u0007');
            case 'b' -> value.append('\b');
            case 'f' -> value.append('\f');
            case 'n' -> value.append('\n');
            case 'r' -> value.append('\r');
            case 't' -> value.append('\t');
            case 'v' -> value.append('\u000b');
            case '\\' -> value.append('\\');
            case '"', '\'' -> {
                if (c != quote) {
                    throw error(start, position, "unknown escape sequence " + describeChar(c));
                }
                value.append(c);
            }
            case 'x' -> appendBytes(value, hexDigits(start, 2));
            case 'u' -> value.appendCodePoint(hexDigits(start, 4));
            case 'U' -> value.appendCodePoint(hexDigits(start, 8));
            default -> {
                if (c >= '0' && c <= '7') {
                    position--;
                    int code = 0;
                    for (int i = 0; i < 3; i++) {
                        char digit = peek(0);
                        if (digit < '0' || digit > '7') {
                            throw error(start, position, "invalid character in escape sequence");
                        }
                        code = code * 8 + digit - '0';
                        position++;
                    }
                    if (code > 255) {
                        throw error(start, position, "octal escape value > 255: " + code);
                    }
                    appendBytes(value, code);
                } else {
                    throw error(start, position, "unknown escape sequence " + describeChar(c));
                }
            }
        }
    }

    /**
     * A {@code \xNN} or octal escape is a byte; consecutive ones that make up UTF-8 become their characters,
     * others stand as U+FFFD like Go's invalid UTF-8 when printed.
     */
    private void appendBytes(StringBuilder value, int firstByte) {
        byte[] bytes = new byte[4];
        int count = 0;
        bytes[count++] = (byte) firstByte;
        int expected = firstByte >= 0xf0 ? 4 : firstByte >= 0xe0 ? 3 : firstByte >= 0xc0 ? 2 : 1;
        while (count < expected && peek(0) == '\\' && peek(1) == 'x') {
            int save = position;
            position += 2;
            bytes[count++] = (byte) hexDigits(save, 2);
        }
        value.append(new String(bytes, 0, count, java.nio.charset.StandardCharsets.UTF_8));
    }

    private int hexDigits(int start, int count) {
        if (position + count > query.length()) {
            throw error(start, query.length(), "escape sequence not terminated");
        }
        int code = 0;
        for (int i = 0; i < count; i++) {
            int digit = Character.digit(query.charAt(position + i), 16);
            if (digit < 0) {
                throw error(start, position + i + 1, "invalid character in escape sequence");
            }
            code = code * 16 + digit;
        }
        position += count;
        return code;
    }

    private static String describeChar(char c) {
        return c == '\0' ? "end of input" : "'" + c + "'";
    }

    private ParseException error(int start, int end, String reason) {
        return new ParseException(query, new PositionRange(start, end), reason);
    }
}
