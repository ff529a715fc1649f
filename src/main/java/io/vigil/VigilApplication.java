package io.vigil;

import io.vigil.simulator.LoadTool;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.metrics.LogbackMetricsAutoConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Vigil appliance: device data in over MLLP and MQTT, FHIR R4 out. Without Micrometer's Logback metrics: their
 * turbo filter is asked about every log level check of every library, on every message's path, to count log lines
 * nobody reads.
 */
@SpringBootApplication(exclude = LogbackMetricsAutoConfiguration.class)
@ConfigurationPropertiesScan
public class VigilApplication {

    /** {@code java -jar vigil.jar} runs the appliance; {@code java -jar vigil.jar load ...} drives a running one;
     * {@code java -jar vigil.jar mapping test ...} tries a vendor mapping on a payload. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "load".equals(args[0])) {
            LoadTool.main(args);
            return;
        }
        if (args.length > 0 && "mapping".equals(args[0])) {
            io.vigil.mapping.MappingCommand.main(args);
            return;
        }
        String problem = io.vigil.config.WorkingDirectory.problem(java.nio.file.Path.of(""), args, System.getenv(),
                System.getProperties());
        if (problem != null) {
            System.err.println(problem);
            System.exit(2);
        }
        SpringApplication.run(VigilApplication.class, args);
    }
}
