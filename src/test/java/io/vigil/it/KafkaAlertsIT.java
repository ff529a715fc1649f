package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.support.ApplianceTestSupport;
import io.vigil.support.Pcd01Writer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With Kafka configured, alerts go to a real (in-process KRaft) Kafka broker, keyed by patient, and vendor
 * payloads published to Kafka are read by mappings/vendors.
 */
@SpringBootTest
@DirtiesContext
class KafkaAlertsIT {

    private static EmbeddedKafkaKraftBroker kafka;
    private static ApplianceTestSupport.Ports ports;

    @DynamicPropertySource
    static void setup(DynamicPropertyRegistry registry) {
        kafka = new EmbeddedKafkaKraftBroker(1, 1, "vigil.alerts", "vigil.vendor.payloads");
        kafka.afterPropertiesSet();
        registry.add("vigil.kafka.enabled", () -> "true");
        registry.add("vigil.kafka.bootstrap-servers", kafka::getBrokersAsString);
        ports = ApplianceTestSupport.register(registry, null);
    }

    @AfterAll
    static void stop() {
        kafka.destroy();
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.vigil.delivery.Outbox outbox;

    @Test
    void shouldMapAVendorPayloadConsumedFromKafka() throws Exception {
        String body = java.nio.file.Files.readString(java.nio.file.Path.of("mappings/tests/omh-heart-rate/input.json"));
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(Map.of(
                "bootstrap.servers", kafka.getBrokersAsString()), new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            var record = new org.apache.kafka.clients.producer.ProducerRecord<String, String>("vigil.vendor.payloads", "k", body);
            record.headers().add("vigil-source", "open-mhealth".getBytes());
            record.headers().add("vigil-patient", "KAFKA-2".getBytes());
            record.headers().add("vigil-device", "omh-phone-9".getBytes());
            producer.send(record).get();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> outbox.list(100).stream()
                .map(p -> outbox.read(p.getFileName().toString()).orElse(""))
                .anyMatch(b -> b.contains("KAFKA-2") && b.contains("omh-phone-9") && b.contains("\"8867-4\"")));
    }

    @Test
    void shouldPublishARaisedAlertToKafkaKeyedByPatient() throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).withNano(0);
        String hl7 = Pcd01Writer.vitals("kafka-1", "KAFKA-1", "WARD7", "0A0B0C0D0E0F3001", now, 140, 97, 16, 125, 85, "37.0", "A");
        assertThat(ApplianceTestSupport.sendHl7(ports.mllp(), hl7)).contains("MSA|AA|kafka-1");

        List<ConsumerRecord<String, String>> received = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", kafka.getBrokersAsString(), "group.id", "vigil-test", "auto.offset.reset", "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("vigil.alerts"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
                return received.stream().anyMatch(r -> r.value().contains("threshold:heart-rate-high"));
            });
        }
        assertThat(received).allSatisfy(r -> assertThat(r.key()).isEqualTo("urn:vigil:id:RULESIT|KAFKA-1"));
        assertThat(received).anySatisfy(r -> assertThat(r.value()).contains("\"outcome\":\"raised\"").contains("\"ruleSetVersion\""));
    }
}
