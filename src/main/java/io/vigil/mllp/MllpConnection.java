package io.vigil.mllp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One sender's connection: frames read on its listener thread, answers written by whichever thread learns that a
 * message is on disk (the broker's, or the listener's own when nothing was pending). Answers go out in the order
 * their messages came; what the socket does not take at once waits here until it can. A connection owed
 * {@code maxUnacknowledged} answers (written or waiting for the socket) is held: its listener thread reads and
 * processes nothing more of it until the sender has taken half of them, so a sender that sends without reading its
 * ACKs is slowed to what it reads instead of filling the appliance's memory with answers.
 */
final class MllpConnection {

    private final SocketChannel channel;
    private final MllpFrames frames;
    private final Runnable onClose;
    private final int maxUnacknowledged;
    /** Connections held now, of the whole listener. */
    private final AtomicInteger heldNow;
    /** Called (on any thread) when a held connection may be read again; its listener thread then resumes it. */
    private final Consumer<MllpConnection> onRoom;
    private final ArrayDeque<ByteBuffer> unsent = new ArrayDeque<>();
    /** Messages handed to the route whose answer has not been written (or queued) yet. */
    private final AtomicInteger unanswered = new AtomicInteger();
    private SelectionKey key;
    private long lastReadNanos;
    private boolean closed;
    /** Held: reading stopped until the sender takes its answers. */
    private boolean held;

    MllpConnection(SocketChannel channel, int maxFrameBytes, int maxUnacknowledged, AtomicInteger heldNow,
                   Runnable onClose, Consumer<MllpConnection> onRoom) {
        this.channel = channel;
        this.frames = new MllpFrames(maxFrameBytes);
        this.maxUnacknowledged = Math.max(1, maxUnacknowledged);
        this.heldNow = heldNow;
        this.onClose = onClose;
        this.onRoom = onRoom;
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

    /**
     * Whether nothing was read for {@code idleNanos} and no answer is owed, or the connection has been held that long
     * (its sender takes no answers).
     */
    synchronized boolean idle(long now, long idleNanos) {
        return now - lastReadNanos >= idleNanos && (held || unanswered.get() == 0 && !frames.partial());
    }

    void expectAnswer() {
        unanswered.incrementAndGet();
    }

    /** Answers owed: not yet written, or written into {@link #unsent} and not yet taken by the socket. */
    private int owed() {
        return unanswered.get() + unsent.size();
    }

    /**
     * Stops reading the connection (on its listener thread) when it owes {@code maxUnacknowledged} answers: true when
     * held, false when there is room for more of its messages.
     */
    synchronized boolean hold() {
        if (closed || owed() < maxUnacknowledged) {
            return false;
        }
        held = true;
        heldNow.incrementAndGet();
        key.interestOpsAnd(~SelectionKey.OP_READ);
        return true;
    }

    /** Reads the connection again (on its listener thread, after {@link #onRoom}). */
    synchronized void release() {
        lastReadNanos = System.nanoTime();
        if (!closed) {
            key.interestOpsOr(SelectionKey.OP_READ);
        }
    }

    /** Once a held connection owes at most half its limit, its listener thread is told to go on with it. */
    private void roomMade() {
        if (held && owed() <= maxUnacknowledged / 2) {
            held = false;
            heldNow.decrementAndGet();
            onRoom.accept(this);
        }
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
                        roomMade();
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
                roomMade();
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
        if (held) {
            held = false;
            heldNow.decrementAndGet();
        }
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
