package io.vigil.support;

import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.app.Initiator;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Ports, data folder and clients for tests that run the whole appliance. */
public final class ApplianceTestSupport {

    private ApplianceTestSupport() {
    }

    /** Free ports for every listener and a fresh data folder; the EHR as given (null: the outbox). */
    public static Ports register(DynamicPropertyRegistry registry, String ehrBaseUrl) {
        Ports ports = new Ports(FreePorts.next(), FreePorts.next(), FreePorts.next());
        Path data = TestFolders.create("vigil-it-");
        registry.add("vigil.data-dir", data::toString);
        registry.add("vigil.mllp.port", ports::mllp);
        registry.add("vigil.mqtt.port", ports::mqtt);
        registry.add("vigil.artemis.port", ports::artemis);
        registry.add("vigil.ehr.base-url", () -> ehrBaseUrl == null ? "" : ehrBaseUrl);
        registry.add("vigil.hl7.device-zone", () -> "UTC");
        return ports;
    }

    public record Ports(int mllp, int mqtt, int artemis) {
    }

    /** Sends over MLLP with HAPI's client and returns the encoded acknowledgement. */
    public static String sendHl7(int port, String hl7) throws Exception {
        var codec = TestPipeline.CODEC;
        Message message = codec.context().getPipeParser().parse(hl7);
        Connection connection = codec.context().newClient("127.0.0.1", port, false);
        try {
            Initiator initiator = connection.getInitiator();
            initiator.setTimeout(60, TimeUnit.SECONDS);
            return codec.context().getPipeParser().encode(initiator.sendAndReceive(message));
        } finally {
            connection.close();
        }
    }

    /** Publishes with QoS 1 and returns once the broker has acknowledged (PUBACK). */
    public static void publishMqtt(int port, String topic, String payload) throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, "vigil-test-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options);
        try {
            MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            client.publish(topic, message);
        } finally {
            client.disconnect();
            client.close();
        }
    }

    public static IGenericClient fhirClient(String baseUrl) {
        TestPipeline.FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        TestPipeline.FHIR.getRestfulClientFactory().setSocketTimeout(60_000);
        return TestPipeline.FHIR.newRestfulGenericClient(baseUrl);
    }
}
