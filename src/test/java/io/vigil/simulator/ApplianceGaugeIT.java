package io.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.support.ApplianceTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The load tool's readings of a running appliance: signed in once through the console's login form, then every
 * reading on that session (not a password check each); a wrong login reads nothing and says why.
 */
@AutoConfigureObservability // the Prometheus endpoint, which tests leave out by default
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"vigil.console.username=operator", "vigil.console.password=s3cret:for-test"})
@DirtiesContext
class ApplianceGaugeIT {

    @DynamicPropertySource
    static void listeners(DynamicPropertyRegistry registry) {
        ApplianceTestSupport.register(registry, null);
    }

    @LocalServerPort
    int port;

    @Test
    void shouldReadTheApplianceOnAConsoleSession() {
        ApplianceGauge gauge = new ApplianceGauge("127.0.0.1", port, "operator:s3cret:for-test");

        ApplianceGauge.Reading first = gauge.read();
        ApplianceGauge.Reading second = gauge.read();

        assertThat(gauge.signedIn()).isTrue();
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(second.heapBytes()).isPositive();
        assertThat(second.compileMillis()).isPositive();
        assertThat(gauge.resetLatency()).isTrue();
        assertThat(gauge.latency()).isNotNull();
        assertThat(gauge.summary()).contains("(2 readings)");
    }

    @Test
    void shouldReadNothingWithAWrongLoginAndSaySo() {
        ApplianceGauge gauge = new ApplianceGauge("127.0.0.1", port, "operator:not-the-password");

        assertThat(gauge.read()).isNull();
        assertThat(gauge.signedIn()).isFalse();
        assertThat(gauge.resetLatency()).isFalse();
        assertThat(gauge.summary()).contains("HTTP 401");
    }
}
