package io.vigil.console;

import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** GET /api/latency: device-to-delivery and device-to-alert percentiles; POST /api/latency/reset starts afresh. */
@RestController
class LatencyController {

    private final Latencies latencies;

    LatencyController(Latencies latencies) {
        this.latencies = latencies;
    }

    @GetMapping(value = "/api/latency", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> latency() {
        return latencies.snapshot();
    }

    @PostMapping(value = "/api/latency/reset", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> reset() {
        latencies.reset();
        return latencies.snapshot();
    }
}
