package io.vigil;

import io.vigil.simulator.LoadTool;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Vigil appliance: device data in over MLLP and MQTT, FHIR R4 out. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class VigilApplication {

    /** {@code java -jar vigil.jar} runs the appliance; {@code java -jar vigil.jar load ...} drives a running one. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "load".equals(args[0])) {
            LoadTool.main(args);
            return;
        }
        SpringApplication.run(VigilApplication.class, args);
    }
}
