package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.support.ApplianceTestSupport;
import io.vigil.support.Samples;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** An HL7 message above vigil.mllp.max-message-bytes is refused with a NAK and not stored; the listener goes on. */
@SpringBootTest(properties = "vigil.mllp.max-message-bytes=1048576")
@DirtiesContext
class MllpLimitsIT {

    private static ApplianceTestSupport.Ports ports;

    @DynamicPropertySource
    static void setup(DynamicPropertyRegistry registry) {
        ports = ApplianceTestSupport.register(registry, null);
    }

    @Test
    void aMessageAboveTheLimitShouldBeRefusedAndTheNextOneServed() throws Exception {
        String big = Samples.hl7("04").replace("0104ef190d604db188c3", "too-big") + "\rNTE|1||" + "X".repeat(2 * 1024 * 1024);

        String nak = ApplianceTestSupport.sendHl7(ports.mllp(), big);

        assertThat(nak).contains("MSA|AR|too-big").contains("VIGIL-HL7-011");
        assertThat(ApplianceTestSupport.sendHl7(ports.mllp(), Samples.hl7("04").replace("0104ef190d604db188c3", "after-big")))
                .contains("MSA|AA|after-big");
    }
}
