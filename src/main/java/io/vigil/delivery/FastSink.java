package io.vigil.delivery;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The fast sink (vigil.outbox.mode=count) of load tests: a bundle is accepted when it is well-formed JSON in UTF-8
 * (RFC 8259: no comments, no single quotes, no leading zeros, no control characters in strings, nothing after the
 * document; RFC 3629: no overlong forms, surrogates or bytes beyond U+10FFFF) and a FHIR transaction Bundle with
 * entries. One pass over the bytes as delivery holds them, without decoding, tokens, names or a document tree, so
 * that the sink costs the appliance almost nothing and the load tool measures the appliance's own ceiling: the
 * delivery consumer checks every bundle on its one thread, and Jackson's tokenizer there took about 60 % of that
 * thread's CPU at 5,000 messages a second (docs/performance.md, change 30).
 */
public final class FastSink {

    /** Deepest nesting accepted (a Vigil bundle nests 8 deep); deeper documents are refused, not overflow the stack. */
    static final int MOST_DEPTH = 128;

    private final byte[] text;
    private final int length;
    private int at;
    private String resourceType;
    private String type;
    private int entries;

    private FastSink(byte[] text) {
        this.text = text;
        this.length = text.length;
    }

    /**
     * @param bundle the bundle's JSON as UTF-8 bytes
     * @throws EhrRejectedException when the bundle is not JSON in UTF-8, or not a transaction Bundle with entries
     */
    public static void check(byte[] bundle) {
        FastSink scan = new FastSink(bundle);
        boolean object = scan.document();
        if (!object || !"Bundle".equals(scan.resourceType) || !"transaction".equals(scan.type) || scan.entries == 0) {
            throw new EhrRejectedException("VIGIL-DLV-003 fast sink: not a transaction Bundle with entries");
        }
    }

    /** The whole text as one JSON value; whether it is an object (whose members were noted). */
    private boolean document() {
        skipSpace();
        boolean object = at < length && text[at] == '{';
        if (object) {
            at++;
            topLevelObject();
        } else {
            value(0);
        }
        skipSpace();
        if (at < length) {
            throw notJson("content after the bundle at byte " + at);
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
            int c = next();
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
                : nameLength == wanted.length() && ascii(start, wanted);
    }

    /** Whether the bytes from {@code start} are the ASCII name {@code wanted}. */
    private boolean ascii(int start, String wanted) {
        for (int k = 0; k < wanted.length(); k++) {
            if (text[start + k] != wanted.charAt(k)) {
                return false;
            }
        }
        return true;
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
        return escaped ? unescape(start, at - 1) : new String(text, start, at - 1 - start, StandardCharsets.UTF_8);
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
            int c = next();
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
            throw notJson("nested deeper than " + MOST_DEPTH + " at byte " + at);
        }
        skipSpace();
        int c = next();
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
            int c = next();
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
            int c = next();
            if (c == ']') {
                return;
            }
            if (c != ',') {
                throw unexpected(c, "',' or ']'");
            }
        }
    }

    /**
     * The rest of a string, its opening quote read; whether it had escapes. Eight bytes are looked at a time while
     * none of them needs a closer look ({@link #special}): most of a bundle is strings of plain ASCII.
     */
    private boolean string() {
        int opened = at - 1;
        boolean escaped = false;
        byte[] bytes = text;
        int i = at;
        while (true) {
            while (i <= length - Long.BYTES) {
                long found = special((long) EIGHT_BYTES.get(bytes, i));
                if (found != 0) {
                    i += Long.numberOfTrailingZeros(found) >>> 3; // the first byte that needs a look
                    break;
                }
                i += Long.BYTES;
            }
            if (i >= length) {
                break;
            }
            int c = bytes[i++];
            if (c == '"') {
                at = i;
                return escaped;
            }
            if (c == '\\') {
                escaped = true;
                at = i;
                escape();
                i = at;
            } else if (c < 0) {
                at = i;
                multiByte(c & 0xFF);
                i = at;
            } else if (c < 0x20) {
                throw notJson("control character in a string at byte " + (i - 1));
            }
        }
        at = length;
        throw notJson("string opened at byte " + opened + " not closed");
    }

    /** Eight bytes of the text as one long, the first of them lowest (little-endian). */
    private static final VarHandle EIGHT_BYTES =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /**
     * The bytes of {@code word} (the first lowest) that end a plain run in a string: a quote, a backslash, a control
     * character or a byte of a multi-byte character. Each such byte has its high bit set in the result; a byte after
     * one of them may be marked too (a subtraction's borrow runs towards later bytes, from a byte already marked), so
     * the lowest bit set marks the first of them exactly. Zero when all eight are plain.
     */
    static long special(long word) {
        long quote = word ^ (ONES * '"');
        long backslash = word ^ (ONES * '\\');
        long control = (word - ONES * 0x20) & ~word;
        long anyQuote = (quote - ONES) & ~quote;
        long anyBackslash = (backslash - ONES) & ~backslash;
        return (control | anyQuote | anyBackslash | word) & HIGH_BITS;
    }

    /**
     * The continuation bytes of a character of two to four bytes, its first byte {@code lead} read (RFC 3629's
     * well-formed sequences: no overlong forms, no surrogates, nothing beyond U+10FFFF).
     */
    private void multiByte(int lead) {
        int start = at - 1;
        int more;
        int low = 0x80;
        int high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            more = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            more = 2;
            if (lead == 0xE0) {
                low = 0xA0;
            } else if (lead == 0xED) {
                high = 0x9F;
            }
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            more = 3;
            if (lead == 0xF0) {
                low = 0x90;
            } else if (lead == 0xF4) {
                high = 0x8F;
            }
        } else {
            throw notJson("not UTF-8 at byte " + start);
        }
        for (int k = 0; k < more; k++) {
            int b = at < length ? text[at] & 0xFF : -1;
            if (b < low || b > high) {
                throw notJson("not UTF-8 at byte " + start);
            }
            at++;
            low = 0x80;
            high = 0xBF;
        }
    }

    private void escape() {
        int c = next();
        switch (c) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
            }
            case 'u' -> {
                for (int k = 0; k < 4; k++) {
                    if (Character.digit(next(), 16) < 0) {
                        throw notJson("bad \\u escape at byte " + (at - 1));
                    }
                }
            }
            default -> throw notJson("bad escape after '\\' at byte " + (at - 1));
        }
    }

    /** The text of a checked string (between {@code start} and the closing quote at {@code end}) with escapes decoded. */
    private String unescape(int start, int end) {
        StringBuilder out = new StringBuilder(end - start);
        int plain = start;
        for (int k = start; k < end; k++) {
            if (text[k] != '\\') {
                continue;
            }
            out.append(new String(text, plain, k - plain, StandardCharsets.UTF_8));
            int e = text[++k];
            switch (e) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(new String(text, k + 1, 4, StandardCharsets.US_ASCII), 16));
                    k += 4;
                }
                default -> out.append((char) e);
            }
            plain = k + 1;
        }
        return out.append(new String(text, plain, end - plain, StandardCharsets.UTF_8)).toString();
    }

    /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, its first byte {@code first} read. */
    private void number(int first) {
        int start = at - 1;
        int c = first;
        if (c == '-') {
            c = next();
        }
        if (c == '0') {
            if (at < length && isDigit(text[at])) {
                throw notJson("leading zero in a number at byte " + start);
            }
        } else if (isDigit(c)) {
            digits();
        } else {
            throw notJson("bad number at byte " + start);
        }
        if (at < length && text[at] == '.') {
            at++;
            requireDigits(start);
        }
        if (at < length && (text[at] == 'e' || text[at] == 'E')) {
            at++;
            if (at < length && (text[at] == '+' || text[at] == '-')) {
                at++;
            }
            requireDigits(start);
        }
    }

    private void requireDigits(int start) {
        if (at >= length || !isDigit(text[at])) {
            throw notJson("bad number at byte " + start);
        }
        digits();
    }

    private void digits() {
        while (at < length && isDigit(text[at])) {
            at++;
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private void literal(String word) {
        int start = at - 1;
        if (start + word.length() > length || !ascii(start, word)) {
            throw notJson("unexpected characters at byte " + start);
        }
        at = start + word.length();
    }

    private void skipSpace() {
        while (at < length) {
            byte c = text[at];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            at++;
        }
    }

    /** The next byte (0 to 255), or 0 at the end. */
    private int peek() {
        return at < length ? text[at] & 0xFF : 0;
    }

    /** The next byte (0 to 255), read. */
    private int next() {
        if (at >= length) {
            throw notJson("unexpected end of the document");
        }
        return text[at++] & 0xFF;
    }

    private void expect(char wanted) {
        int c = next();
        if (c != wanted) {
            throw unexpected(c, "'" + wanted + "'");
        }
    }

    private EhrRejectedException unexpected(int c, String wanted) {
        String shown = c < 0x20 || c > 0x7e ? String.format("byte 0x%02X", c) : "'" + (char) c + "'";
        return notJson("expected " + wanted + ", found " + shown + " at byte " + (at - 1));
    }

    private static EhrRejectedException notJson(String why) {
        return new EhrRejectedException("VIGIL-DLV-003 fast sink: not JSON: " + why);
    }
}
