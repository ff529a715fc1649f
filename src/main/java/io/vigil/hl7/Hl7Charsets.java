package io.vigil.hl7;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Maps MSH-18 (character set) to a Java charset, reading MSH in ASCII before the frame is decoded. */
final class Hl7Charsets {

    private Hl7Charsets() {
    }

    static Charset fromMsh18(byte[] frame, Charset fallback) {
        String msh18 = msh18(frame);
        if (msh18 == null) {
            return fallback;
        }
        String name = msh18.toUpperCase(Locale.ROOT).replace("UNICODE ", "");
        if (name.startsWith("8859/")) {
            return Charset.forName("ISO-8859-" + name.substring(5));
        }
        return switch (name) {
            case "ASCII" -> StandardCharsets.US_ASCII;
            case "UTF-8", "UNICODE" -> StandardCharsets.UTF_8;
            default -> fallback;
        };
    }

    /** MSH-18 of the first segment, stripped, or null; read from the bytes (this runs for every message). */
    private static String msh18(byte[] frame) {
        if (frame.length < 4 || frame[0] != 'M' || frame[1] != 'S' || frame[2] != 'H') {
            return null;
        }
        byte separator = frame[3];
        if (separator == '\r' || separator == '\n') {
            return null;
        }
        // the separator at index 3 is the first; MSH-n starts after the (n-1)th
        int separators = 0;
        int start = -1;
        int end = 3;
        for (; end < frame.length && frame[end] != '\r' && frame[end] != '\n'; end++) {
            if (frame[end] == separator) {
                separators++;
                if (separators == 17) {
                    start = end + 1;
                } else if (separators == 18) {
                    break;
                }
            }
        }
        if (start < 0) {
            return null;
        }
        String value = new String(frame, start, end - start, StandardCharsets.US_ASCII).strip();
        return value.isEmpty() ? null : value;
    }
}
