package io.vigil.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real HAPI FHIR JPA server (H2) in its own JVM, built by the Maven invoker from src/test/fhir-server into
 * target/it/fhir-server. Started once per test JVM on a free loopback port and stopped when the JVM exits.
 */
public final class FhirTestServer {

    private static final Path BUILD = Path.of("target/it/fhir-server/target");
    private static String baseUrl;
    private static Process process;

    private FhirTestServer() {
    }

    public static synchronized String baseUrl() {
        if (baseUrl == null) {
            start();
        }
        return baseUrl;
    }

    private static void start() {
        Path classpath = BUILD.resolve("classpath.txt");
        if (!Files.exists(classpath)) {
            throw new IllegalStateException(classpath + " is missing: run the tests with Maven (mvn verify), "
                    + "whose invoker step builds the FHIR test server");
        }
        try {
            int port = FreePorts.next();
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = BUILD.resolve("classes") + java.io.File.pathSeparator + Files.readString(classpath).strip();
            Path log = Path.of("target/fhir-test-server.log");
            process = new ProcessBuilder(javaBin, "-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", cp, "io.vigil.testfhir.FhirTestServer", String.valueOf(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> process.destroy()));
            String url = "http://127.0.0.1:" + port + "/fhir";
            awaitReady(url, log);
            baseUrl = url;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the FHIR test server", e);
        }
    }

    private static void awaitReady(String url, Path log) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("FHIR test server exited: see " + log.toAbsolutePath());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url + "/Patient?_count=0"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("FHIR test server not ready after 240 s: see " + log.toAbsolutePath());
    }
}
