package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.config.VigilProperties;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {

    @TempDir
    Path dataDir;

    private Outbox outbox(int maxFiles) {
        return new Outbox(new VigilProperties(dataDir, null, null, null, null, null, null,
                new VigilProperties.Outbox(maxFiles, "files"), null, null, null, null, null, null, null, null, null,
                null, null));
    }

    @Test
    void keepsTheNewestBundlesIncludingThoseFoundAtStart() throws IOException {
        Path folder = Files.createDirectories(dataDir.resolve("outbox"));
        Files.writeString(folder.resolve("20200101T000000.000-000001-OLD1.json"), "{}");
        Files.writeString(folder.resolve("20200101T000000.000-000002-OLD2.json"), "{}");

        Outbox outbox = outbox(3);
        for (int i = 1; i <= 4; i++) {
            outbox.store("NEW" + i, "{\"resourceType\":\"Bundle\"}".getBytes(StandardCharsets.UTF_8));
        }

        List<String> names = outbox.list(10).stream().map(p -> p.getFileName().toString()).toList();
        assertThat(names).hasSize(3);
        assertThat(names).allMatch(n -> n.contains("-NEW")).noneMatch(n -> n.endsWith("-NEW1.json"));
        assertThat(outbox.count()).isEqualTo(3);
    }

    @Test
    void aBundleRemovedByHandDoesNotStopTheTrimming() throws IOException {
        Outbox outbox = outbox(2);
        Path first = outbox.store("A", "{}".getBytes(StandardCharsets.UTF_8));
        Files.delete(first);
        outbox.store("B", "{}".getBytes(StandardCharsets.UTF_8));
        outbox.store("C", "{}".getBytes(StandardCharsets.UTF_8));
        outbox.store("D", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(outbox.list(10)).extracting(p -> p.getFileName().toString())
                .hasSize(2).anyMatch(n -> n.endsWith("-C.json")).anyMatch(n -> n.endsWith("-D.json"));
    }
}
