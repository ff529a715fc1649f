package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.config.VigilProperties;
import io.vigil.console.Latencies;
import io.vigil.fhir.FhirProcessing;
import io.vigil.governance.AuditTrail;
import io.vigil.support.ScriptedEhr;
import io.vigil.support.TestPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merged transaction the EHR does not answer in time: against an HTTP endpoint that answers transactions of more
 * than two bundles only after the delivery's timeout, each attempt (as the route's redeliveries make them) splits
 * the transaction that timed out, until every bundle is delivered in transactions the EHR answers in time.
 */
class EhrDeliveryTimeoutTest {

    private static final int OBSERVATIONS_PER_BUNDLE = 2; // sample 04: a blood pressure panel and a pulse rate

    @TempDir
    Path dir;

    private final ScriptedEhr ehr = new ScriptedEhr();

    EhrDeliveryTimeoutTest() throws Exception {
    }

    @AfterEach
    void stop() {
        ehr.close();
    }

    /** Bundles in each transaction the EHR received with more (late) or fewer bundles than {@code most}. */
    private List<Integer> bundles(int most, boolean late) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (String body : ehr.bodies()) {
            int bundles = ScriptedEhr.observations(body) / OBSERVATIONS_PER_BUNDLE;
            if (bundles > most == late) {
                out.add(bundles);
            }
        }
        return out;
    }

    @Test
    void aTransactionTheEhrDoesNotAnswerInTimeIsSplitUntilEveryBundleIsDelivered() throws Exception {
        ehr.answerLateAbove(2 * OBSERVATIONS_PER_BUNDLE, Duration.ofSeconds(1));
        EhrDelivery delivery = delivery(8);
        List<DeliveryBatch.Member> members = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            members.add(member("SLOW-" + i));
        }
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(DeliveryBatch.PROPERTY, DeliveryBatch.of(members));

        int attempts = 0;
        List<String> failures = new ArrayList<>();
        boolean delivered = false;
        while (!delivered && attempts < 10) {
            attempts++;
            try {
                delivery.deliver(exchange);
                delivered = true;
            } catch (EhrUnavailableException e) {
                failures.add(e.getMessage());
            }
        }

        assertThat(delivered).isTrue();
        // 8 timed out, then 4, then the other 4; then the last two pairs went through
        assertThat(attempts).isEqualTo(4);
        assertThat(failures).allSatisfy(f -> assertThat(f).startsWith("VIGIL-DLV-004").contains("300 ms"));
        assertThat(bundles(2, false)).containsExactly(2, 2, 2, 2);
        assertThat(bundles(2, true)).containsExactly(8, 4, 4);
        assertThat(delivery.getDelivered()).isEqualTo(8);
        assertThat(delivery.getFailedAttempts()).isEqualTo(3);
        assertThat(delivery.getTransactionLimit()).as("further batches start small").isEqualTo(1);
    }

    @Test
    void aSingleBundleThatTimesOutIsRetriedAsItIsAndLeavesTheLimitAlone() throws Exception {
        ehr.answerLateAbove(0, Duration.ofSeconds(1));
        EhrDelivery delivery = delivery(8);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(DeliveryBatch.PROPERTY, DeliveryBatch.of(List.of(member("ALONE"))));

        for (int i = 0; i < 2; i++) {
            try {
                delivery.deliver(exchange);
            } catch (EhrUnavailableException e) {
                assertThat(e.tooSlow()).isTrue();
            }
        }

        assertThat(bundles(0, true)).containsExactly(1, 1);
        assertThat(delivery.getDelivered()).isZero();
        assertThat(delivery.getTransactionLimit()).isEqualTo(8);
    }

    /** A bundle of sample 04 with the headers the processing step sets (patient key as system|value). */
    private static DeliveryBatch.Member member(String controlId) throws Exception {
        return new DeliveryBatch.Member(DeliveryBatchTest.member(controlId).bundle(), Map.of(
                FhirProcessing.PATIENT_KEYS, "urn:vigil:id:NIST|HO2009001", "VigilMessageControlId", controlId));
    }

    private EhrDelivery delivery(int maxBundles) {
        String baseUrl = ehr.baseUrl();
        VigilProperties properties = new VigilProperties(dir, null, null, null, null, null,
                new VigilProperties.Ehr(baseUrl, Duration.ofMillis(300), null, false, "TREAT",
                        new VigilProperties.Batch(maxBundles, Duration.ZERO)),
                new VigilProperties.Outbox(10, "files"), null, null, Map.of("delivery", "vigil.delivery.ehr"), null, null,
                null, null, null, null, null, null);
        return new EhrDelivery(properties, new Outbox(properties), new AuditTrail(dir.resolve("audit"), TestPipeline.FHIR),
                new SimpleMeterRegistry(), new Latencies());
    }
}
