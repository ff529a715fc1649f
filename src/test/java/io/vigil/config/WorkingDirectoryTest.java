package io.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Started outside its folder, the appliance says so before anything else starts. */
class WorkingDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void aFolderWithoutTheSettingsFileIsNamedWithHowToStart() {
        String problem = WorkingDirectory.problem(dir, new String[0], Map.of(), new Properties());

        assertThat(problem).contains(dir.toAbsolutePath().normalize() + " has no config/application.yaml")
                .contains("--spring.config.location=");
    }

    @Test
    void theInstallationFolderOrANamedSettingsFileIsAccepted() throws Exception {
        assertThat(WorkingDirectory.problem(dir, new String[] {"--spring.config.location=/etc/vigil/application.yaml"},
                Map.of(), new Properties())).isNull();
        assertThat(WorkingDirectory.problem(dir, new String[0], Map.of("SPRING_CONFIG_LOCATION", "/etc/vigil/"),
                new Properties())).isNull();
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/application.yaml"), "vigil: {}\n");
        assertThat(WorkingDirectory.problem(dir, new String[0], Map.of(), new Properties())).isNull();
        assertThat(WorkingDirectory.problem(Path.of(""), new String[0], Map.of(), new Properties()))
                .as("the repository, where the tests run").isNull();
    }
}
