package io.vigil.mllp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One sender's connection: frames read on its listener thread, answers written by whichever thread learns that a
 * message is on disk (the broker's, or the listener's own when nothing was pending). Answers go out in the order
 * their messages came; what the socket does not take at once waits here until it can.
 */
final class MllpConnection {

    private final SocketChannel channel;
    private final MllpFrames frames;
    private final Runnable onClose;
    private final ArrayDeque<ByteBuffer> unsent = new ArrayDeque<>();
    /** Messages handed to the route whose answer has not been written (or queued) yet. */
    private final AtomicInteger unanswered = new AtomicInteger();
    private SelectionKey key;
    private long lastReadNanos;
    private boolean closed;

    MllpConnection(SocketChannel channel, int maxFrameBytes, Runnable onClose) {
        this.channel = channel;
        this.frames = new MllpFrames(maxFrameBytes);
        this.onClose = onClose;
        this.lastReadNanos = System.nanoTime();
    }

    void registered(SelectionKey key) {
        this.key = key;
    }

    SocketChannel channel() {
        return channel;
    }

    MllpFrames frames() {
        return frames;
    }

    void read(long nanos) {
        lastReadNanos = nanos;
    }

    /** Whether nothing was read for {@code idleNanos} and no answer is owed. */
    boolean idle(long now, long idleNanos) {
        return now - lastReadNanos >= idleNanos && unanswered.get() == 0 && !frames.partial();
    }

    void expectAnswer() {
        unanswered.incrementAndGet();
    }

    /** Writes an answer (already framed), or keeps what the socket does not take for {@link #flush()}. */
    void answer(byte[] framed) {
        synchronized (this) {
            unanswered.decrementAndGet();
            if (closed) {
                return;
            }
            ByteBuffer buffer = ByteBuffer.wrap(framed);
            try {
                if (unsent.isEmpty()) {
                    channel.write(buffer);
                    if (!buffer.hasRemaining()) {
                        return;
                    }
                }
                unsent.add(buffer);
                key.interestOpsOr(SelectionKey.OP_WRITE);
                key.selector().wakeup();
            } catch (IOException | RuntimeException gone) {
                close();
            }
        }
    }

    /** A message owed an answer will get none: the connection closes, and its sender sends the message again. */
    void giveUp() {
        unanswered.decrementAndGet();
        close();
    }

    /** Called on the listener thread when the socket can take more. */
    synchronized void flush() {
        try {
            while (!unsent.isEmpty()) {
                ByteBuffer head = unsent.peek();
                channel.write(head);
                if (head.hasRemaining()) {
                    return;
                }
                unsent.poll();
            }
            key.interestOpsAnd(~SelectionKey.OP_WRITE);
        } catch (IOException | RuntimeException gone) {
            close();
        }
    }

    /** Closes the connection (once); answers owed to it are dropped, and the sender sends again. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        unsent.clear();
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        onClose.run();
    }

    synchronized boolean isClosed() {
        return closed;
    }
}
