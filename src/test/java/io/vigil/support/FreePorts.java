package io.vigil.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free loopback ports for the listeners of tests, taken below Linux's ephemeral range (32768-60999): a port the
 * system hands out for binding port 0 can be taken as the local port of an outgoing connection (the EHR proxy, the
 * broker, the HTTP clients) before the listener binds it. Each test JVM starts at its own place in the range and
 * never hands out a port twice.
 */
public final class FreePorts {

    private static final int FIRST = 20_000;
    private static final int END = 32_768;
    private static final AtomicInteger NEXT = new AtomicInteger(
            FIRST + (int) (ProcessHandle.current().pid() % 1_000) * 12);

    private FreePorts() {
    }

    public static int next() {
        for (int tried = 0; tried < END - FIRST; tried++) {
            int port = NEXT.getAndUpdate(p -> p + 1 >= END ? FIRST : p + 1);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // in use: the next one
            }
        }
        throw new IllegalStateException("no free loopback port between " + FIRST + " and " + (END - 1));
    }
}
