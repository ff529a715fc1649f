package io.vigil.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP endpoint that answers FHIR POSTs with scripted status codes, to put the delivery route through
 * failures a real EHR shows rarely on demand (503, 422). Answers 200 with an empty transaction-response once
 * the script is used up.
 */
public final class ScriptedEhr implements AutoCloseable {

    private final HttpServer server;
    private final Queue<Integer> script = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final Queue<String> bodies = new ConcurrentLinkedQueue<>();

    public ScriptedEhr() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fhir", exchange -> {
            requests.incrementAndGet();
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Integer status = script.poll();
            int code = status == null ? 200 : status;
            String body = code == 200
                    ? "{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\"}"
                    : "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"processing\",\"diagnostics\":\"scripted " + code + "\"}]}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    }

    public void answer(int... statuses) {
        script.clear();
        for (int s : statuses) {
            script.add(s);
        }
    }

    public int requests() {
        return requests.get();
    }

    /** The bodies received so far, oldest first. */
    public java.util.List<String> bodies() {
        return java.util.List.copyOf(bodies);
    }

    public void resetCount() {
        requests.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
