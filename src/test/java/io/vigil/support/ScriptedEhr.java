package io.vigil.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP endpoint that answers FHIR POSTs with scripted status codes, to put the delivery route through
 * failures a real EHR shows rarely on demand (503, 422, a late answer to a large transaction). Answers 200 with an
 * empty transaction-response once the script is used up.
 */
public final class ScriptedEhr implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Queue<Integer> script = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final Queue<String> bodies = new ConcurrentLinkedQueue<>();
    private volatile int lateAboveObservations = Integer.MAX_VALUE;
    private volatile long lateByMillis;

    public ScriptedEhr() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool()); // a late answer holds up no other request
        server.createContext("/fhir", exchange -> {
            requests.incrementAndGet();
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(request);
            if (lateAboveObservations < Integer.MAX_VALUE && observations(request) > lateAboveObservations) {
                try {
                    Thread.sleep(lateByMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Integer status = script.poll();
            int code = status == null ? 200 : status;
            String body = code == 200
                    ? "{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\"}"
                    : "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"processing\",\"diagnostics\":\"scripted " + code + "\"}]}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            try {
                exchange.sendResponseHeaders(code, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (IOException gone) {
                // the client stopped waiting (its timeout) and closed the connection
            }
        });
        server.start();
    }

    /** Answers transactions of more than {@code observations} Observation entries only after {@code delay}. */
    public void answerLateAbove(int observations, Duration delay) {
        lateByMillis = delay.toMillis();
        lateAboveObservations = observations;
    }

    /** Observation entries in a transaction Bundle's text. */
    public static int observations(String bundle) throws IOException {
        int count = 0;
        for (JsonNode entry : JSON.readTree(bundle).path("entry")) {
            if ("Observation".equals(entry.path("resource").path("resourceType").asText())) {
                count++;
            }
        }
        return count;
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
