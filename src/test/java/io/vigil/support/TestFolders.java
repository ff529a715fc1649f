package io.vigil.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Folders for what tests and benchmarks write (appliance data, journals, rule and mapping copies): under
 * target/test-data, so that a build's clean removes them, instead of the system's temporary folder, where every run
 * of the suite left some hundreds of megabytes of broker journals.
 */
public final class TestFolders {

    private static final Path ROOT = Path.of("target", "test-data");

    private TestFolders() {
    }

    /** A new, empty folder whose name starts with {@code prefix}. */
    public static Path create(String prefix) {
        try {
            Files.createDirectories(ROOT);
            return Files.createTempDirectory(ROOT, prefix).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
