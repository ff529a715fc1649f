package io.vigil.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The real-world sample messages under src/test/resources/samples (sources in each folder's README.md). */
public final class Samples {

    public static final Path ROOT = Path.of("src/test/resources/samples");

    private Samples() {
    }

    /** An HL7 sample by its number prefix ("04"), segments separated by CR as on the wire. */
    public static String hl7(String number) {
        try (Stream<Path> files = Files.list(ROOT.resolve("hl7"))) {
            Path file = files.filter(p -> p.getFileName().toString().startsWith(number + "_")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no HL7 sample " + number));
            return Files.readString(file, StandardCharsets.UTF_8).strip().replace("\r\n", "\r").replace('\n', '\r');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
