package io.vigil.simulator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * MLLP connections served by one thread: each connection sends one frame (VT ... FS CR) at a time and the next once
 * the acknowledgement of the last is read, as a monitor or a central station does. One thread with a selector instead
 * of a blocked thread per connection, because the load tool shares the machine with the appliance it measures: an ACK
 * that arrives while the thread is busy is read in the same pass as the others, where a thread per connection was
 * woken once for each (the kernel's wake-ups were half of the load tool's CPU). A connection that cannot connect,
 * closes, or leaves an ACK unanswered for {@code ackTimeout} fails its send; it connects again a second later.
 */
final class MllpSenders implements Runnable {

    static final byte VT = 0x0b;
    static final byte FS = 0x1c;
    static final byte CR = 0x0d;
    static final long ACK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long RECONNECT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** The longest the loop sleeps, so that it sees {@code stop} soon. */
    private static final long MOST_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int MOST_ACK_BYTES = 4 * 1024;

    /** What one connection sends, and what it is told of each send. Called on the senders' thread only. */
    interface Feed {

        /** The next message to send at {@code now}, unframed, or null when none is due before {@link #dueAt()}. */
        byte[] next(long now);

        /** When the next message is due (System.nanoTime). */
        long dueAt();

        /** The acknowledgement of the last message came: its text and the time from writing the message to reading it. */
        void answered(String ack, long latencyNanos);

        /** A send failed, or the connection could not be made: no answer will come for it. */
        void failed(IOException cause);
    }

    private final InetSocketAddress address;
    private final List<Line> lines;
    private final BooleanSupplier stop;
    private final long ackTimeoutNanos;

    MllpSenders(String host, int port, List<Feed> feeds, BooleanSupplier stop) {
        this(host, port, feeds, stop, ACK_TIMEOUT_NANOS);
    }

    MllpSenders(String host, int port, List<Feed> feeds, BooleanSupplier stop, long ackTimeoutNanos) {
        this.address = new InetSocketAddress(host, port);
        this.lines = feeds.stream().map(Line::new).toList();
        this.stop = stop;
        this.ackTimeoutNanos = ackTimeoutNanos;
    }

    /** The message as one MLLP frame: VT, the message, FS CR. */
    static byte[] frame(byte[] message) {
        byte[] frame = new byte[message.length + 3];
        frame[0] = VT;
        System.arraycopy(message, 0, frame, 1, message.length);
        frame[message.length + 1] = FS;
        frame[message.length + 2] = CR;
        return frame;
    }

    @Override
    public void run() {
        try (Selector selector = Selector.open()) {
            while (!stop.getAsBoolean()) {
                long now = System.nanoTime();
                long wake = now + MOST_WAIT_NANOS;
                for (Line line : lines) {
                    wake = Math.min(wake, line.step(selector, now));
                }
                long waitNanos = wake - System.nanoTime();
                if (waitNanos <= 0) {
                    selector.selectNow();
                } else {
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)));
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    ((Line) key.attachment()).ready(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new IllegalStateException("the load tool's MLLP selector failed", e);
        } finally {
            for (Line line : lines) {
                line.close();
            }
        }
    }

    /** One connection: its channel, the frame being written, the ACK being read. */
    private final class Line {
        private final Feed feed;
        private SocketChannel channel;
        private SelectionKey key;
        private boolean connecting;
        private long connectingSince;
        private long reconnectAt;
        private ByteBuffer out = ByteBuffer.allocateDirect(16 * 1024);
        private final ByteBuffer in = ByteBuffer.allocateDirect(4 * 1024);
        private final byte[] reply = new byte[MOST_ACK_BYTES];
        private int replyLength;
        private boolean inFrame;
        private boolean frameEnded;
        /** When the message waiting for its ACK was written (System.nanoTime), 0 when none waits. */
        private long sentAt;

        Line(Feed feed) {
            this.feed = feed;
            this.reconnectAt = System.nanoTime();
        }

        /** Connects or sends what is due; returns when it next needs a look. */
        long step(Selector selector, long now) {
            if (sentAt != 0) {
                if (now - sentAt > ackTimeoutNanos) {
                    fail(new SocketTimeoutException("no acknowledgement within "
                            + TimeUnit.NANOSECONDS.toMillis(ackTimeoutNanos) + " ms"), now);
                    return reconnectAt;
                }
                return sentAt + ackTimeoutNanos;
            }
            if (connecting) {
                if (now - connectingSince > CONNECT_TIMEOUT_NANOS) {
                    fail(new SocketTimeoutException("not connected within "
                            + TimeUnit.NANOSECONDS.toMillis(CONNECT_TIMEOUT_NANOS) + " ms"), now);
                    return reconnectAt;
                }
                return connectingSince + CONNECT_TIMEOUT_NANOS;
            }
            if (now - feed.dueAt() < 0) {
                return feed.dueAt();
            }
            if (channel == null) {
                if (now - reconnectAt < 0) {
                    return reconnectAt;
                }
                connect(selector, now);
            } else {
                send(now);
            }
            if (channel == null) {
                return reconnectAt;
            }
            if (connecting) {
                return connectingSince + CONNECT_TIMEOUT_NANOS;
            }
            return sentAt != 0 ? sentAt + ackTimeoutNanos : feed.dueAt();
        }

        private void connect(Selector selector, long now) {
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                connecting = !channel.connect(address);
                connectingSince = now;
                key = channel.register(selector, connecting ? SelectionKey.OP_CONNECT : SelectionKey.OP_READ, this);
                in.clear().flip();
                inFrame = false;
                frameEnded = false;
                if (!connecting) {
                    send(now);
                }
            } catch (IOException e) {
                fail(e, now);
            }
        }

        private void send(long now) {
            byte[] message = feed.next(now);
            if (message == null) {
                return;
            }
            if (out.capacity() < message.length + 3) {
                out = ByteBuffer.allocateDirect(Integer.highestOneBit(message.length + 3) * 2);
            }
            out.clear();
            out.put(VT).put(message).put(FS).put(CR).flip();
            sentAt = System.nanoTime();
            try {
                channel.write(out);
                key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            } catch (IOException e) {
                fail(e, sentAt);
            }
        }

        /** The selector's news for this connection. */
        void ready(SelectionKey ready) {
            if (!ready.isValid() || ready != key) {
                return;
            }
            long now = System.nanoTime();
            try {
                if (ready.isConnectable()) {
                    channel.finishConnect();
                    connecting = false;
                    key.interestOps(SelectionKey.OP_READ);
                    return; // the next pass sends what is due
                }
                if (ready.isWritable()) {
                    channel.write(out);
                    if (!out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (ready.isReadable()) {
                    read(now);
                }
            } catch (IOException e) {
                fail(e, now);
            }
        }

        private void read(long now) throws IOException {
            in.compact();
            int n = channel.read(in);
            in.flip();
            while (in.hasRemaining()) {
                byte b = in.get();
                if (frameEnded) {
                    frameEnded = false;
                    if (b != CR) {
                        throw new IOException("acknowledgement frame not ended by FS CR");
                    }
                    answered(now);
                } else if (!inFrame) {
                    inFrame = b == VT;
                    replyLength = 0;
                } else if (b == FS) {
                    frameEnded = true;
                    inFrame = false;
                } else if (replyLength < reply.length) {
                    reply[replyLength++] = b;
                } else {
                    throw new IOException("acknowledgement longer than " + reply.length + " bytes");
                }
            }
            if (n < 0) {
                if (sentAt != 0) {
                    throw new IOException(inFrame || frameEnded ? "connection closed inside the acknowledgement"
                            : "connection closed before the acknowledgement");
                }
                close(); // closed between messages: the next send connects again
            }
        }

        private void answered(long now) {
            if (sentAt == 0) {
                return; // an answer nothing waited for
            }
            long latency = now - sentAt;
            sentAt = 0;
            feed.answered(new String(reply, 0, replyLength, StandardCharsets.ISO_8859_1), latency);
        }

        private void fail(IOException cause, long now) {
            sentAt = 0;
            close();
            reconnectAt = now + RECONNECT_NANOS;
            feed.failed(cause);
        }

        void close() {
            connecting = false;
            inFrame = false;
            frameEnded = false;
            if (channel != null) {
                try {
                    channel.close(); // also cancels its key
                } catch (IOException e) {
                    // closing a broken connection: nothing left to do
                }
                channel = null;
                key = null;
            }
        }
    }
}
