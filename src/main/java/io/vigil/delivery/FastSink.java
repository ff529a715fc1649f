package io.vigil.delivery;

/**
 * The fast sink (vigil.outbox.mode=count) of load tests: a bundle is accepted when it is well-formed JSON (RFC 8259:
 * no comments, no single quotes, no leading zeros, no control characters in strings, nothing after the document)
 * and a FHIR transaction Bundle with entries. One pass over the text, without tokens, names or a document tree, so
 * that the sink costs the appliance almost nothing and the load tool measures the appliance's own ceiling: the
 * delivery consumer checks every bundle on its one thread, and Jackson's tokenizer there took about 60 % of that
 * thread's CPU at 5,000 messages a second (docs/performance.md, change 30).
 */
public final class FastSink {

    /** Deepest nesting accepted (a Vigil bundle nests 8 deep); deeper documents are refused, not overflow the stack. */
    static final int MOST_DEPTH = 128;

    private final String text;
    private final int length;
    private int at;
    private String resourceType;
    private String type;
    private int entries;

    private FastSink(String text) {
        this.text = text;
        this.length = text.length();
    }

    /** @throws EhrRejectedException when the bundle is not JSON, or not a transaction Bundle with entries */
    public static void check(String bundle) {
        FastSink scan = new FastSink(bundle);
        boolean object = scan.document();
        if (!object || !"Bundle".equals(scan.resourceType) || !"transaction".equals(scan.type) || scan.entries == 0) {
            throw new EhrRejectedException("VIGIL-DLV-003 fast sink: not a transaction Bundle with entries");
        }
    }

    /** The whole text as one JSON value; whether it is an object (whose members were noted). */
    private boolean document() {
        skipSpace();
        boolean object = at < length && text.charAt(at) == '{';
        if (object) {
            at++;
            topLevelObject();
        } else {
            value(0);
        }
        skipSpace();
        if (at < length) {
            throw notJson("content after the bundle at character " + at);
        }
        return object;
    }

    /** The members of the document's object, '{' read: resourceType, type and the entries counted, others checked. */
    private void topLevelObject() {
        skipSpace();
        if (peek() == '}') {
            at++;
            return;
        }
        while (true) {
            skipSpace();
            expect('"');
            int start = at;
            boolean escaped = string();
            String name = escaped ? unescape(start, at - 1) : null;
            int nameLength = at - 1 - start;
            skipSpace();
            expect(':');
            skipSpace();
            if (isName(name, start, nameLength, "resourceType")) {
                resourceType = stringOrSkip();
            } else if (isName(name, start, nameLength, "type")) {
                type = stringOrSkip();
            } else if (isName(name, start, nameLength, "entry")) {
                entries = peek() == '[' ? countedArray() : skipValue();
            } else {
                value(1);
            }
            skipSpace();
            char c = next();
            if (c == '}') {
                return;
            }
            if (c != ',') {
                throw unexpected(c, "',' or '}'");
            }
        }
    }

    private boolean isName(String unescaped, int start, int nameLength, String wanted) {
        return unescaped != null ? unescaped.equals(wanted)
                : nameLength == wanted.length() && text.regionMatches(start, wanted, 0, nameLength);
    }

    /** A string value's text, or null (after checking it) for any other value. */
    private String stringOrSkip() {
        if (peek() != '"') {
            value(1);
            return null;
        }
        at++;
        int start = at;
        boolean escaped = string();
        return escaped ? unescape(start, at - 1) : text.substring(start, at - 1);
    }

    private int skipValue() {
        value(1);
        return 0;
    }

    /** The entry array's elements, each checked, counted; '[' next. */
    private int countedArray() {
        at++;
        skipSpace();
        if (peek() == ']') {
            at++;
            return 0;
        }
        int count = 0;
        while (true) {
            value(2);
            count++;
            skipSpace();
            char c = next();
            if (c == ']') {
                return count;
            }
            if (c != ',') {
                throw unexpected(c, "',' or ']'");
            }
        }
    }

    private void value(int depth) {
        if (depth > MOST_DEPTH) {
            throw notJson("nested deeper than " + MOST_DEPTH + " at character " + at);
        }
        skipSpace();
        char c = next();
        switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number(c);
                } else {
                    throw unexpected(c, "a value");
                }
            }
        }
    }

    private void object(int depth) {
        skipSpace();
        if (peek() == '}') {
            at++;
            return;
        }
        while (true) {
            skipSpace();
            expect('"');
            string();
            skipSpace();
            expect(':');
            value(depth + 1);
            skipSpace();
            char c = next();
            if (c == '}') {
                return;
            }
            if (c != ',') {
                throw unexpected(c, "',' or '}'");
            }
        }
    }

    private void array(int depth) {
        skipSpace();
        if (peek() == ']') {
            at++;
            return;
        }
        while (true) {
            value(depth + 1);
            skipSpace();
            char c = next();
            if (c == ']') {
                return;
            }
            if (c != ',') {
                throw unexpected(c, "',' or ']'");
            }
        }
    }

    /** The rest of a string, its opening quote read; whether it had escapes. */
    private boolean string() {
        int opened = at - 1;
        boolean escaped = false;
        while (at < length) {
            char c = text.charAt(at++);
            if (c == '"') {
                return escaped;
            }
            if (c == '\\') {
                escaped = true;
                escape();
            } else if (c < 0x20) {
                throw notJson("control character in a string at character " + (at - 1));
            }
        }
        throw notJson("string opened at character " + opened + " not closed");
    }

    private void escape() {
        char c = next();
        switch (c) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
            }
            case 'u' -> {
                for (int k = 0; k < 4; k++) {
                    if (Character.digit(next(), 16) < 0) {
                        throw notJson("bad \\u escape at character " + (at - 1));
                    }
                }
            }
            default -> throw notJson("bad escape '\\" + c + "' at character " + (at - 1));
        }
    }

    /** The text of a checked string (between {@code start} and the closing quote at {@code end}) with escapes decoded. */
    private String unescape(int start, int end) {
        StringBuilder out = new StringBuilder(end - start);
        for (int k = start; k < end; k++) {
            char c = text.charAt(k);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = text.charAt(++k);
            switch (e) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text, k + 1, k + 5, 16));
                    k += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, its first character {@code first} read. */
    private void number(char first) {
        int start = at - 1;
        char c = first;
        if (c == '-') {
            c = next();
        }
        if (c == '0') {
            if (at < length && isDigit(text.charAt(at))) {
                throw notJson("leading zero in a number at character " + start);
            }
        } else if (isDigit(c)) {
            digits();
        } else {
            throw notJson("bad number at character " + start);
        }
        if (at < length && text.charAt(at) == '.') {
            at++;
            requireDigits(start);
        }
        if (at < length && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            at++;
            if (at < length && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
                at++;
            }
            requireDigits(start);
        }
    }

    private void requireDigits(int start) {
        if (at >= length || !isDigit(text.charAt(at))) {
            throw notJson("bad number at character " + start);
        }
        digits();
    }

    private void digits() {
        while (at < length && isDigit(text.charAt(at))) {
            at++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void literal(String word) {
        int start = at - 1;
        if (!text.startsWith(word, start)) {
            throw notJson("unexpected characters at character " + start);
        }
        at = start + word.length();
    }

    private void skipSpace() {
        while (at < length) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            at++;
        }
    }

    private char peek() {
        return at < length ? text.charAt(at) : 0;
    }

    private char next() {
        if (at >= length) {
            throw notJson("unexpected end of the document");
        }
        return text.charAt(at++);
    }

    private void expect(char wanted) {
        char c = next();
        if (c != wanted) {
            throw unexpected(c, "'" + wanted + "'");
        }
    }

    private EhrRejectedException unexpected(char c, String wanted) {
        String shown = c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : "'" + c + "'";
        return notJson("expected " + wanted + ", found " + shown + " at character " + (at - 1));
    }

    private static EhrRejectedException notJson(String why) {
        return new EhrRejectedException("VIGIL-DLV-003 fast sink: not JSON: " + why);
    }
}
