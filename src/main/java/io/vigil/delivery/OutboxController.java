package io.vigil.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** GET /api/outbox lists the bundles Vigil kept locally (newest first); GET /api/outbox/{name} returns one. */
@RestController
class OutboxController {

    private final Outbox outbox;

    OutboxController(Outbox outbox) {
        this.outbox = outbox;
    }

    @GetMapping(value = "/api/outbox", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> list(@RequestParam(defaultValue = "50") int limit) throws IOException {
        List<Path> files = outbox.list(Math.max(1, Math.min(limit, 1000)));
        List<Map<String, Object>> entries = new java.util.ArrayList<>();
        for (Path file : files) {
            entries.add(Map.of("name", file.getFileName().toString(), "bytes", Files.size(file),
                    "href", "/api/outbox/" + file.getFileName()));
        }
        return Map.of("directory", outbox.directory().toAbsolutePath().toString(), "total", outbox.count(),
                "entries", entries);
    }

    @GetMapping(value = "/api/outbox/{name}", produces = "application/fhir+json")
    ResponseEntity<String> read(@PathVariable String name) {
        return outbox.read(name).map(ResponseEntity::ok).orElse(ResponseEntity.notFound().build());
    }
}
