package io.vigil.simulator;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal MLLP sender: frames a message (VT ... FS CR), writes it and reads the acknowledgement frame. */
final class MllpClient implements AutoCloseable {

    private static final int VT = 0x0b;
    private static final int FS = 0x1c;
    private static final int CR = 0x0d;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final ByteArrayOutputStream reply = new ByteArrayOutputStream(512);

    MllpClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        in = new BufferedInputStream(socket.getInputStream(), 8192);
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
        out.write(frame(message));
        out.flush();
        reply.reset();
        int b = in.read();
        while (b != VT) {
            if (b < 0) {
                throw new IOException("connection closed before the acknowledgement");
            }
            b = in.read();
        }
        while ((b = in.read()) != FS) {
            if (b < 0) {
                throw new IOException("connection closed inside the acknowledgement");
            }
            reply.write(b);
        }
        if (in.read() != CR) {
            throw new IOException("acknowledgement frame not ended by FS CR");
        }
        return reply.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a broken connection: nothing left to do
        }
    }
}
