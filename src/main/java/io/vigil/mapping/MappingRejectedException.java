package io.vigil.mapping;

/** A mapping file Vigil will not run, with the file, the line and the reason (VIGIL-MAP-001). */
public class MappingRejectedException extends Exception {

    private final String file;
    private final int line;
    private final String reason;

    public MappingRejectedException(String file, int line, String reason) {
        super("VIGIL-MAP-001 " + file + (line > 0 ? ":" + line : "") + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
