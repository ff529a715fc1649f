package io.vigil.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP link between Vigil and a real server that a test can break: UP forwards bytes, DOWN refuses connections
 * (the port is closed), HANG accepts connections and never answers. The real network faults an EHR shows.
 */
public final class FaultyLink implements AutoCloseable {

    /** UP: forwards; DOWN: refuses connections; HANG: accepts and never answers; ERROR: answers HTTP 500. */
    public enum Mode { UP, DOWN, HANG, ERROR }

    private final int port;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile Mode mode = Mode.UP;

    /** A link in front of the HAPI FHIR test server (FhirTestServer). */
    public static FaultyLink toFhirTestServer() throws IOException {
        java.net.URI ehr = java.net.URI.create(FhirTestServer.baseUrl());
        return new FaultyLink(ehr.getHost(), ehr.getPort());
    }

    /** The test server's FHIR base URL through this link (after {@link #toFhirTestServer()}). */
    public String fhirBaseUrl() {
        return "http://127.0.0.1:" + port() + java.net.URI.create(FhirTestServer.baseUrl()).getPath();
    }

    public FaultyLink(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = FreePorts.next();
        listen();
    }

    public int port() {
        return port;
    }

    public synchronized void mode(Mode next) throws IOException {
        mode = next;
        if (next != Mode.UP) {
            // kept-alive connections must not carry on as if nothing happened
            for (Socket s : open) {
                s.close();
            }
            open.clear();
        }
        if (next == Mode.DOWN) {
            server.close();
        } else if (server.isClosed()) {
            listen();
        }
    }

    private void listen() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress("127.0.0.1", port));
        server = socket;
        Thread acceptor = new Thread(() -> accept(socket), "faulty-link-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                open.add(client);
                if (mode == Mode.HANG) {
                    continue; // keep it open, answer nothing
                }
                if (mode == Mode.ERROR) {
                    answer500(client);
                    continue;
                }
                Socket upstream = new Socket(targetHost, targetPort);
                open.add(upstream);
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                // closed while accepting, or the target refused
            }
        }
    }

    /** Reads one HTTP request and answers 500 with an OperationOutcome, as a failing FHIR server does. */
    private static void answer500(Socket client) {
        Thread t = new Thread(() -> {
            try (client) {
                InputStream in = client.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    head.append((char) b);
                }
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(head);
                if (m.find()) {
                    in.readNBytes(Integer.parseInt(m.group(1)));
                }
                byte[] body = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"exception\",\"diagnostics\":\"injected 500\"}]}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                OutputStream out = client.getOutputStream();
                out.write(("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/fhir+json\r\nContent-Length: "
                        + body.length + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException ignored) {
                // the client went away
            }
        }, "faulty-link-500");
        t.setDaemon(true);
        t.start();
    }

    private static void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // one side closed
            } finally {
                try {
                    to.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "faulty-link-pipe");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
