package io.vigil.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** A private copy of rules/ that a test may edit without touching the shipped rules. */
public final class RuleFolders {

    private RuleFolders() {
    }

    public static Path copyOfRules() throws IOException {
        Path copy = TestFolders.create("vigil-rules");
        Path rules = Path.of("rules");
        try (Stream<Path> files = Files.walk(rules)) {
            for (Path source : files.toList()) {
                Path target = copy.resolve(rules.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return copy;
    }
}
