package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.config.VigilProperties;
import io.vigil.console.Latencies;
import io.vigil.fhir.FhirProcessing;
import io.vigil.governance.AuditTrail;
import io.vigil.support.TestPipeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery to the fast sink (vigil.outbox.mode=count, no EHR): a batch's bundles are checked on the sink's own
 * threads, counted when all pass, and a batch with one bundle that is not a transaction Bundle fails as a whole (for
 * the route's retries and dead-letter queue) with nothing of it counted and nothing written.
 */
class FastSinkDeliveryTest {

    @TempDir
    Path dir;

    @Test
    void aBatchOfValidBundlesShouldBeCountedAndOneBadBundleFailTheBatch() throws Exception {
        EhrDelivery delivery = fastSink();
        List<DeliveryBatch.Member> members = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            members.add(member("OK-" + i, DeliveryBatchTest.member("OK-" + i).bundle()));
        }
        delivery.deliver(exchange(members));
        assertThat(delivery.getDelivered()).isEqualTo(40);

        List<DeliveryBatch.Member> withBad = new ArrayList<>(members);
        withBad.set(27, member("BAD", (Object) "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{}"));
        assertThatThrownBy(() -> delivery.deliver(exchange(withBad))).isInstanceOf(EhrRejectedException.class)
                .hasMessageStartingWith("VIGIL-DLV-003 fast sink: not JSON");
        assertThat(delivery.getDelivered()).as("nothing of the failed batch counted").isEqualTo(40);

        List<DeliveryBatch.Member> few = List.of(member("A", members.get(0).bundle()), member("B", (Object) "{\"resourceType\":\"Patient\"}"));
        assertThatThrownBy(() -> delivery.deliver(exchange(few))).hasMessageContaining("not a transaction Bundle");
        assertThat(delivery.getDelivered()).isEqualTo(40);
        assertThat(dir.resolve("outbox")).satisfiesAnyOf(p -> assertThat(Files.exists(p)).isFalse(),
                p -> assertThat(Files.list(p)).isEmpty());
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .anyMatch(name -> name.startsWith("vigil-fast-sink-"));
    }

    private static Exchange exchange(List<DeliveryBatch.Member> members) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(DeliveryBatch.PROPERTY, DeliveryBatch.of(members));
        return exchange;
    }

    private static DeliveryBatch.Member member(String controlId, Object bundle) {
        byte[] utf8 = bundle instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : (byte[]) bundle;
        return new DeliveryBatch.Member(utf8, Map.of(FhirProcessing.PATIENT_KEYS, "urn:vigil:id:NIST|HO2009001",
                "VigilMessageControlId", controlId));
    }

    private EhrDelivery fastSink() {
        VigilProperties properties = new VigilProperties(dir, null, null, null, null, null,
                new VigilProperties.Ehr(null, Duration.ofMillis(300), null, false, "TREAT", new VigilProperties.Batch(400, Duration.ZERO)),
                new VigilProperties.Outbox(10, "count"), null, null, Map.of("delivery", "vigil.delivery.ehr"), null, null,
                null, null, null, null, null, null);
        return new EhrDelivery(properties, new Outbox(properties), new AuditTrail(dir.resolve("audit"), TestPipeline.FHIR),
                new SimpleMeterRegistry(), new Latencies());
    }
}
