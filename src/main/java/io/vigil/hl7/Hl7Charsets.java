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

    private static String msh18(byte[] frame) {
        int end = 0;
        while (end < frame.length && frame[end] != '\r' && frame[end] != '\n') {
            end++;
        }
        String msh = new String(frame, 0, end, StandardCharsets.US_ASCII);
        if (!msh.startsWith("MSH") || msh.length() < 4) {
            return null;
        }
        String[] fields = msh.split(java.util.regex.Pattern.quote(String.valueOf(msh.charAt(3))), -1);
        // fields[0] is "MSH", fields[1] is MSH-2: field n sits at index n-1
        return fields.length > 17 && !fields[17].isBlank() ? fields[17].strip() : null;
    }
}
