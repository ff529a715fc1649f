package io.vigil.simulator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A minimal MLLP sender: frames a message (VT ... FS CR), writes it and reads the acknowledgement frame. A blocking
 * socket channel: each message costs one write and, once the ACK is there, one read in the kernel (a socket with a read
 * timeout tries a read, polls, then reads again), so the load tool takes less of the CPU it shares with the appliance.
 * A send not answered within its timeout (30 s) is cut off by a watchdog: the connection is closed and the send fails,
 * as a read timeout would.
 */
final class MllpClient implements AutoCloseable {

    private static final byte VT = 0x0b;
    private static final byte FS = 0x1c;
    private static final byte CR = 0x0d;
    private static final long ACK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private static final Set<MllpClient> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Thread watchdog = new Thread(MllpClient::watch, "vigil-load-ack-timeout");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private final SocketChannel channel;
    private final long ackTimeoutNanos;
    private ByteBuffer out = ByteBuffer.allocateDirect(16 * 1024);
    private final ByteBuffer in = ByteBuffer.allocateDirect(4 * 1024);
    private final byte[] reply = new byte[4 * 1024];
    /** When the send waiting for its ACK began (System.nanoTime), 0 when none waits. */
    private volatile long waitingSince;
    private volatile boolean timedOut;

    MllpClient(String host, int port) throws IOException {
        this(host, port, ACK_TIMEOUT_NANOS);
    }

    MllpClient(String host, int port, long ackTimeoutNanos) throws IOException {
        this.ackTimeoutNanos = ackTimeoutNanos;
        channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(new InetSocketAddress(host, port), 5000);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        in.flip(); // nothing read yet
        OPEN.add(this);
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

    /** Sends one message and returns the acknowledgement's text. */
    String send(byte[] message) throws IOException {
        if (out.capacity() < message.length + 3) {
            out = ByteBuffer.allocateDirect(Integer.highestOneBit(message.length + 3) * 2);
        }
        out.clear();
        out.put(VT).put(message).put(FS).put(CR).flip();
        waitingSince = System.nanoTime();
        try {
            while (out.hasRemaining()) {
                channel.write(out);
            }
            return readAck();
        } catch (IOException e) {
            if (timedOut) {
                SocketTimeoutException timeout = new SocketTimeoutException("no acknowledgement within "
                        + TimeUnit.NANOSECONDS.toMillis(ackTimeoutNanos) + " ms");
                timeout.initCause(e);
                throw timeout;
            }
            throw e;
        } finally {
            waitingSince = 0;
        }
    }

    /** The next frame's content; bytes before its VT are skipped, bytes after its FS CR kept for the next. */
    private String readAck() throws IOException {
        int length = 0;
        boolean started = false;
        while (true) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (!started) {
                    started = b == VT;
                } else if (b == FS) {
                    if (!fill()) {
                        throw new IOException("connection closed inside the acknowledgement");
                    }
                    if (in.get() != CR) {
                        throw new IOException("acknowledgement frame not ended by FS CR");
                    }
                    return new String(reply, 0, length, StandardCharsets.ISO_8859_1);
                } else if (length < reply.length) {
                    reply[length++] = b;
                } else {
                    throw new IOException("acknowledgement longer than " + reply.length + " bytes");
                }
            }
            if (!fill()) {
                throw new IOException(started ? "connection closed inside the acknowledgement"
                        : "connection closed before the acknowledgement");
            }
        }
    }

    /** At least one unread byte in {@code in}: false when the connection closed first. */
    private boolean fill() throws IOException {
        while (!in.hasRemaining()) {
            in.clear();
            int n = channel.read(in);
            in.flip();
            if (n < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        OPEN.remove(this);
        try {
            channel.close();
        } catch (IOException e) {
            // closing a broken connection: nothing left to do
        }
    }

    /** Closes every connection whose ACK is overdue: its blocked read then fails. */
    private static void watch() {
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (MllpClient client : OPEN) {
                long since = client.waitingSince;
                if (since != 0 && now - since > client.ackTimeoutNanos) {
                    client.timedOut = true;
                    client.close();
                }
            }
        }
    }
}
