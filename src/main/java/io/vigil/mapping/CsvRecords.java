package io.vigil.mapping;

import io.vigil.ingest.InvalidPayloadException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CSV payloads (RFC 4180: quoted fields, doubled quotes, CRLF or LF) read by their header: one map per row from
 * column name to text, so that mapping expressions name columns as they would JSON fields.
 */
final class CsvRecords {

    private CsvRecords() {
    }

    static List<Map<String, Object>> read(byte[] payload, char delimiter) throws InvalidPayloadException {
        String text = new String(payload, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<List<String>> rows = rows(text, delimiter);
        if (rows.isEmpty()) {
            throw new InvalidPayloadException("line 1", "empty CSV payload: a header row is required");
        }
        List<String> header = rows.get(0);
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).isBlank()) {
                throw new InvalidPayloadException("line 1", "column " + (i + 1) + " of the header has no name");
            }
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue;
            }
            if (row.size() != header.size()) {
                throw new InvalidPayloadException("line " + (r + 1), row.size() + " fields where the header has " + header.size());
            }
            Map<String, Object> record = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                record.put(header.get(c).strip(), row.get(c));
            }
            records.add(record);
        }
        return records;
    }

    private static List<List<String>> rows(String text, char delimiter) throws InvalidPayloadException {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (ch == '\n') {
                        line++;
                    }
                    field.append(ch);
                }
            } else if (ch == '"' && field.isEmpty()) {
                quoted = true;
            } else if (ch == delimiter) {
                row.add(field.toString());
                field.setLength(0);
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                line++;
            } else {
                field.append(ch);
            }
        }
        if (quoted) {
            throw new InvalidPayloadException("line " + line, "a quoted field is not closed");
        }
        if (!field.isEmpty() || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
