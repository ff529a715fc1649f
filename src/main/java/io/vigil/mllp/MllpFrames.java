package io.vigil.mllp;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What one connection has read, cut into MLLP frames: {@code <VT>message<FS><CR>}. Bytes outside a frame are
 * counted and dropped; a start byte inside a frame drops the unfinished frame before it (its sender began again). A
 * frame growing past the limit is refused whole: {@link #room()} returns null and the connection is closed.
 */
final class MllpFrames {

    static final byte START = 0x0b;
    static final byte END = 0x1c;
    static final byte CR = 0x0d;

    /** Enough for a PCD-01 message of a few dozen OBX rows; grown as a larger frame needs. */
    private static final int INITIAL = 16 * 1024;

    private final int maxFrameBytes;
    private final int initial;
    private byte[] buffer;
    /** Bytes read and not yet handed out lie in [start, limit). */
    private int start;
    private int limit;
    /** Inside a frame: its content begins at start; the end was looked for up to scanned. */
    private boolean inFrame;
    private int scanned;
    private long outside;

    MllpFrames(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
        this.initial = (int) Math.min(INITIAL, maxFrameBytes + 3L);
        this.buffer = new byte[initial];
    }

    /** Where to read next, or null when the frame being gathered already holds the most a frame may. */
    ByteBuffer room() {
        if (start == limit && buffer.length > initial) {
            buffer = new byte[initial]; // a large frame has gone: give its room back
            start = limit = scanned = 0;
        }
        if (limit == buffer.length && start > 0) {
            System.arraycopy(buffer, start, buffer, 0, limit - start);
            scanned -= start;
            limit -= start;
            start = 0;
        }
        if (limit == buffer.length) {
            // the start byte and the two end bytes come on top of the content
            long most = (long) maxFrameBytes + 3;
            if (buffer.length >= most) {
                return null;
            }
            buffer = Arrays.copyOf(buffer, (int) Math.min(most, 2L * buffer.length));
        }
        return ByteBuffer.wrap(buffer, limit, buffer.length - limit);
    }

    /** {@code count} bytes were read into the room last given. */
    void filled(int count) {
        limit += count;
    }

    /** The content of the next whole frame (without its start and end bytes), or null until one is whole. */
    byte[] next() {
        if (!inFrame) {
            int at = start;
            while (at < limit && buffer[at] != START) {
                at++;
            }
            outside += at - start;
            if (at == limit) {
                start = limit = scanned = 0;
                return null;
            }
            inFrame = true;
            start = at + 1;
            scanned = start;
        }
        for (int at = scanned; at < limit; at++) {
            byte b = buffer[at];
            if (b == START) {
                outside += at - start + 1; // the unfinished frame and its start byte
                start = at + 1;
            } else if (b == END && at + 1 < limit && buffer[at + 1] == CR) {
                byte[] frame = Arrays.copyOfRange(buffer, start, at);
                start = at + 2;
                inFrame = false;
                return frame;
            } else if (b == END && at + 1 == limit) {
                scanned = at; // the CR may come with the next read
                return null;
            }
        }
        scanned = limit;
        return null;
    }

    /** Bytes dropped so far because they were outside any frame. */
    long outside() {
        return outside;
    }

    /** Whether part of a frame has been read and its end not yet. */
    boolean partial() {
        return inFrame || start < limit;
    }
}
