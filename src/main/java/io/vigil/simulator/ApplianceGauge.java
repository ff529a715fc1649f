package io.vigil.simulator;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The appliance's own CPU and heap while the load runs, read from its /actuator/prometheus
 * (process_cpu_usage, jvm_memory_used_bytes{area="heap"}), so the load report shows what the load cost, and its
 * JIT compiler's accumulated time (jvm_compilation_time_ms_total), so it shows whether the appliance was warm.
 */
final class ApplianceGauge {

    /**
     * One reading: CPU of the appliance's process (0..1 of the whole machine), heap in use (bytes) and the time its
     * JIT compiler has spent so far (milliseconds; -1 when not published).
     */
    record Reading(double cpu, long heapBytes, double compileMillis) {
    }

    /** Keeps the console session once signed in (see {@link #signIn}). */
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .cookieHandler(new CookieManager()).build();
    private final String base;
    private final String login;
    private boolean signedIn;
    private boolean signInTried;
    private final URI uri;
    private final URI latency;
    private final String authorization;
    private double cpuSum;
    private double cpuMax;
    private long heapMax;
    private int readings;
    private String problem;

    ApplianceGauge(String host, int httpPort, String login) {
        this.base = "http://" + host + ":" + httpPort;
        this.login = login;
        this.uri = URI.create(base + "/actuator/prometheus");
        this.latency = URI.create(base + "/api/latency");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Signs in to the console once (its login form), so that the readings every few seconds ride on the session: with
     * HTTP Basic on every request the appliance checks the password hash each time (BCrypt, about 1 % of its CPU at
     * a reading every 5 s on 2 cores), which the load would then measure as the appliance's own work. Requests go on
     * with HTTP Basic when the form cannot be used.
     */
    private void signIn() {
        signInTried = true;
        try {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            Matcher token = CSRF.matcher(page.body());
            int colon = login.indexOf(':');
            if (page.statusCode() != 200 || !token.find() || colon < 0) {
                return;
            }
            String form = "username=" + encode(login.substring(0, colon)) + "&password=" + encode(login.substring(colon + 1))
                    + "&_csrf=" + encode(token.group(1));
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
            String to = answer.headers().firstValue("Location").orElse("");
            signedIn = answer.statusCode() == 302 && !to.contains("error") && !to.endsWith("/login");
        } catch (Exception e) {
            signedIn = false;
        }
    }

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A request with the session, or with HTTP Basic when there is none. */
    private HttpRequest.Builder request(URI target) {
        if (!signInTried) {
            signIn();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5));
        return signedIn ? request : request.header("Authorization", authorization);
    }

    /** Reads once; null (and the reason kept for the summary) when the appliance's metrics cannot be read. */
    Reading read() {
        try {
            HttpResponse<String> response = http.send(request(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (signedIn && (response.statusCode() == 401 || response.statusCode() / 100 == 3)) {
                signedIn = false; // the session ended (the appliance restarted): HTTP Basic from here on
                response = http.send(request(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
            }
            if (response.statusCode() != 200) {
                problem = "HTTP " + response.statusCode() + " from " + uri + " (--login user:password)";
                return null;
            }
            Reading r = parse(response.body());
            cpuSum += r.cpu();
            cpuMax = Math.max(cpuMax, r.cpu());
            heapMax = Math.max(heapMax, r.heapBytes());
            readings++;
            return r;
        } catch (Exception e) {
            problem = e.getClass().getSimpleName() + " reading " + uri;
            return null;
        }
    }

    /** Starts the appliance's latency counting afresh (POST /api/latency/reset); false when it cannot. */
    boolean resetLatency() {
        try {
            return http.send(request(URI.create(latency + "/reset")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** GET /api/latency as a tree, or null when it cannot be read. */
    com.fasterxml.jackson.databind.JsonNode latency() {
        try {
            HttpResponse<String> response = http.send(request(latency).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** Whether the readings ride on a console session (else on HTTP Basic). */
    boolean signedIn() {
        return signedIn;
    }

    /** Forgets the CPU and heap readings of the warm-up. */
    void resetReadings() {
        cpuSum = 0;
        cpuMax = 0;
        heapMax = 0;
        readings = 0;
    }

    static Reading parse(String prometheus) {
        double cpu = 0;
        long heap = 0;
        double compile = -1;
        for (String line : prometheus.split("\n")) {
            if (line.startsWith("jvm_compilation_time_ms_total")) {
                compile = Math.max(compile, 0) + Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("process_cpu_usage ")) {
                cpu = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                heap += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return new Reading(cpu, heap, compile);
    }

    String summary() {
        if (readings == 0) {
            return "appliance CPU and heap: not read (" + problem + ")";
        }
        return String.format("appliance CPU %.0f %% on average, %.0f %% at most (of all cores); heap in use at most %d MiB (%d readings)",
                100 * cpuSum / readings, 100 * cpuMax, heapMax / (1024 * 1024), readings);
    }
}
