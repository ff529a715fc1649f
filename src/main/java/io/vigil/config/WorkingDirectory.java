package io.vigil.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The appliance reads config/application.yaml and its routes/, rules/ and mappings/ folders from the working
 * directory. Started anywhere else it would stop deep inside its start-up with an error about a missing setting;
 * this check says what is missing and how to start it instead.
 */
public final class WorkingDirectory {

    private WorkingDirectory() {
    }

    /** Why the appliance cannot start from this directory, or null when it can. */
    public static String problem(Path cwd, String[] args, Map<String, String> env, Properties system) {
        if (Files.isRegularFile(cwd.resolve("config/application.yaml"))) {
            return null;
        }
        for (String arg : args) {
            if (arg.startsWith("--spring.config.location=") || arg.startsWith("--spring.config.additional-location=")) {
                return null;
            }
        }
        if (env.containsKey("SPRING_CONFIG_LOCATION") || env.containsKey("SPRING_CONFIG_ADDITIONALLOCATION")
                || system.containsKey("spring.config.location") || system.containsKey("spring.config.additional-location")) {
            return null;
        }
        return "Vigil reads config/application.yaml and its routes/, rules/ and mappings/ folders from the working "
                + "directory, and " + cwd.toAbsolutePath().normalize() + " has no config/application.yaml. Start it from "
                + "its installation folder (bin/vigil, or cd <vigil folder> && java -jar target/vigil.jar), or name the settings "
                + "file with --spring.config.location=<file>.";
    }
}
