package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.vigil.broker.DirectStore;
import io.vigil.broker.QueueDepths;
import io.vigil.support.ApplianceTestSupport;
import io.vigil.support.FhirTestServer;
import io.vigil.support.Samples;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The whole appliance with its real listeners, delivering to a real HAPI FHIR JPA server. */
// Spring Boot's test loader turns JMX and metrics export off; the console test needs what operators see
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.jmx.enabled=true")
@AutoConfigureObservability
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class EndToEndIT {

    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final CacheControlDirective NO_CACHE = new CacheControlDirective().setNoCache(true);
    private static ApplianceTestSupport.Ports ports;

    @DynamicPropertySource
    static void listeners(DynamicPropertyRegistry registry) {
        ports = ApplianceTestSupport.register(registry, FhirTestServer.baseUrl());
    }

    @Autowired
    TestRestTemplate http;

    @Autowired
    QueueDepths depths;

    @Autowired
    DirectStore directStore;

    @Autowired
    io.vigil.rules.RuleEngine engine;

    @org.springframework.beans.factory.annotation.Autowired
    io.vigil.ingest.MqttIngest mqttIngest;

    @Autowired
    org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ broker;

    private long added(String queue) {
        return broker.getActiveMQServer().locateQueue(org.apache.activemq.artemis.api.core.SimpleString.of(queue))
                .getMessagesAdded();
    }

    private final IGenericClient ehr = ApplianceTestSupport.fhirClient(FhirTestServer.baseUrl());

    private List<Observation> observationsOf(String system, String value) {
        Bundle result = ehr.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasChainedProperty(Patient.IDENTIFIER.exactly().systemAndIdentifier(system, value)))
                .count(100).cacheControl(NO_CACHE).returnBundle(Bundle.class).execute();
        return result.getEntry().stream().map(e -> (Observation) e.getResource()).toList();
    }

    private int patientsWith(String system, String value) {
        return ehr.search().forResource(Patient.class).where(Patient.IDENTIFIER.exactly().systemAndIdentifier(system, value))
                .cacheControl(NO_CACHE).returnBundle(Bundle.class).execute().getEntry().size();
    }

    /** The observation with this code in any of its codings (LOINC or MDC). */
    private static Observation withLoinc(List<Observation> observations, String loinc) {
        return observations.stream()
                .filter(o -> o.getCode().getCoding().stream().anyMatch(c -> loinc.equals(c.getCode())))
                .findFirst().orElseThrow(() -> new AssertionError("no " + loinc));
    }

    @Test
    void shouldAckAcmeNibpAndChartBloodPressurePanelAndHeartRateInTheEhr() throws Exception {
        long observationsBefore = added("vigil.observations");
        long bundlesBefore = added("vigil.delivery.ehr");
        long storedDirectly = directStore.stored();
        String ack = ApplianceTestSupport.sendHl7(ports.mllp(), Samples.hl7("04"));

        assertThat(ack).contains("MSA|AA|0104ef190d604db188c3").contains("ACK^R01^ACK");
        // processed on the MLLP listener's thread: stored once, as its bundle, before the ACK, straight into the journal
        assertThat(added("vigil.delivery.ehr")).isEqualTo(bundlesBefore + 1);
        assertThat(directStore.stored()).isGreaterThan(storedDirectly);
        assertThat(added("vigil.observations")).isEqualTo(observationsBefore);
        await().atMost(DELIVERY).untilAsserted(() ->
                assertThat(observationsOf("urn:vigil:id:NIST", "HO2009001")).extracting(o -> o.getCode().getCodingFirstRep().getCode())
                        .contains("85354-9", "8867-4"));
        List<Observation> charted = observationsOf("urn:vigil:id:NIST", "HO2009001");
        Observation bp = withLoinc(charted, "85354-9");
        assertThat(bp.getComponent()).extracting(c -> c.getCode().getCodingFirstRep().getCode() + "=" + c.getValueQuantity().getValue().toPlainString() + " " + c.getValueQuantity().getCode())
                .contains("8480-6=120 mm[Hg]", "8462-4=80 mm[Hg]");
        Observation pulse = withLoinc(charted, "149546"); // the NIBP pulse rate (MDC), charted as 8867-4
        assertThat(pulse.getCode().getCodingFirstRep().getCode()).isEqualTo("8867-4");
        assertThat(pulse.getValueQuantity().getValue()).isEqualByComparingTo("63");
        assertThat(pulse.getValueQuantity().getCode()).isEqualTo("/min");
    }

    @Test
    void shouldCreateNothingNewWhenTheSameMessageIsSentAgain() throws Exception {
        String hl7 = Samples.hl7("02");
        assertThat(ApplianceTestSupport.sendHl7(ports.mllp(), hl7)).contains("MSA|AA|MSGID1234");
        await().atMost(DELIVERY).until(() -> observationsOf("urn:vigil:id:Imaginary-Hospital", "1").size() == 1);

        assertThat(ApplianceTestSupport.sendHl7(ports.mllp(), hl7)).contains("MSA|AA|MSGID1234");
        await().atMost(DELIVERY).until(() -> depths.of("vigil.delivery.ehr") == 0 && depths.of("vigil.observations") == 0);
        Thread.sleep(1000); // let the second transaction finish on the server side

        assertThat(observationsOf("urn:vigil:id:Imaginary-Hospital", "1")).hasSize(1);
        assertThat(patientsWith("urn:vigil:id:Imaginary-Hospital", "1")).isEqualTo(1);
    }

    @Test
    void shouldAckEveryPcd01SampleAndKeepTestDataFromTheProductionEhr() throws Exception {
        long quarantined = depths.of("vigil.quarantine");
        for (String sample : List.of("01", "03", "05")) {
            assertThat(ApplianceTestSupport.sendHl7(ports.mllp(), Samples.hl7(sample))).as(sample).contains("MSA|AA");
        }
        // 03 is production data; 01 was sent in debugging mode (MSH-11 D) and 05 is flagged DEMO
        await().atMost(DELIVERY).untilAsserted(() -> {
            assertThat(observationsOf("urn:vigil:id:NIST", "HO2009001")).extracting(o -> o.getIdentifierFirstRep().getValue())
                    .isNotEmpty();
            assertThat(depths.of("vigil.quarantine")).isEqualTo(quarantined + 2);
        });
        assertThat(observationsOf("urn:vigil:id:Philips", "12345")).isEmpty();
        assertThat(observationsOf("urn:vigil:id:Hospital", "2eefgghy")).isEmpty();
    }

    @Test
    void shouldRefuseAdtWithApplicationReject() throws Exception {
        assertThat(ApplianceTestSupport.sendHl7(ports.mllp(), Samples.hl7("10"))).contains("MSA|AR").contains("VIGIL-HL7-004");
    }

    @Test
    void shouldNakGarbageAndKeepServingTheNextMessage() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", ports.mllp())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(mllp("this is not an HL7 message at all"));
            out.flush();
            String nak = readFrame(socket.getInputStream());
            assertThat(nak).contains("MSA|AR").contains("VIGIL-HL7-001");
        }
        try (Socket socket = new Socket("127.0.0.1", ports.mllp())) {
            socket.getOutputStream().write(new byte[] {0, 1, 2, 3, (byte) 0xff, 10, 13});
            socket.getOutputStream().flush();
        }

        assertThat(ApplianceTestSupport.sendHl7(ports.mllp(), Samples.hl7("04").replace("0104ef190d604db188c3", "after-garbage")))
                .contains("MSA|AA|after-garbage");
    }

    @Test
    void shouldChartDeviceJsonPublishedOverMqtt() throws Exception {
        String json = """
                {"messageId": "mqtt-it-1",
                 "patient": {"system": "urn:vigil:id:ward7", "value": "MQTT-001"},
                 "location": {"unit": "ward7", "bed": "3"},
                 "observations": [
                   {"code": {"mdc": "150456"}, "value": 94, "unit": "%", "time": "2026-11-24T08:15:00+01:00"},
                   {"code": {"mdc": "150021"}, "value": 128, "unit": "mmHg", "time": "2026-11-24T08:15:00+01:00"},
                   {"code": {"mdc": "150022"}, "value": 84, "unit": "mmHg", "time": "2026-11-24T08:15:00+01:00"}
                 ]}""";
        ApplianceTestSupport.publishMqtt(ports.mqtt(), "vigil/devices/00A0370098006641/observations", json);

        await().atMost(DELIVERY).until(() -> observationsOf("urn:vigil:id:ward7", "MQTT-001").size() == 2);
        List<Observation> charted = observationsOf("urn:vigil:id:ward7", "MQTT-001");
        assertThat(withLoinc(charted, "2708-6").getValueQuantity().getValue()).isEqualByComparingTo("94");
        assertThat(withLoinc(charted, "2708-6").getEffectiveDateTimeType().getValueAsString()).isEqualTo("2026-11-24T08:15:00+01:00");
        assertThat(withLoinc(charted, "85354-9").getComponent()).hasSize(2);
    }

    @Test
    void shouldChartOnceWhatAnMqttClientRedeliversAfterReconnecting() throws Exception {
        String json = """
                {"messageId": "mqtt-redelivery-1",
                 "patient": {"system": "urn:vigil:id:ward7", "value": "MQTT-REDELIVERY"},
                 "observations": [
                   {"code": {"mdc": "150456"}, "value": 96, "unit": "%", "time": "2026-11-24T09:00:00Z"},
                   {"code": {"mdc": "147842"}, "value": 77, "unit": "/min", "time": "2026-11-24T09:00:00Z"}
                 ]}""";
        String topic = "vigil/devices/00A0370098006642/observations";
        long readBefore = mqttIngest.getAccepted();
        // QoS 1 with a persistent session: the first PUBLISH is stored, the client drops the connection before
        // reading the PUBACK, reconnects and sends it again with DUP set and the same packet id
        try (RawMqtt first = RawMqtt.connect(ports.mqtt(), "redelivering-monitor")) {
            first.publish(topic, json, 7, false);
            // the PUBACK is lost, not the PUBLISH: the connection drops once the broker has the message (a drop
            // that races the PUBLISH may lose it, and then only one copy would reach Vigil)
            await().atMost(DELIVERY).until(() -> mqttIngest.getAccepted() - readBefore == 1);
        }
        try (RawMqtt again = RawMqtt.connect(ports.mqtt(), "redelivering-monitor")) {
            again.publish(topic, json, 7, true);
            assertThat(again.readPacketType()).as("PUBACK").isEqualTo(0x40);
        }

        await().atMost(DELIVERY).until(() -> observationsOf("urn:vigil:id:ward7", "MQTT-REDELIVERY").size() == 2);
        // both copies are read (the second may still be on its way when the first is charted), then nothing waits
        await().atMost(DELIVERY).untilAsserted(() -> assertThat(mqttIngest.getAccepted() - readBefore)
                .as("both deliveries of the message reached Vigil").isEqualTo(2));
        await().atMost(DELIVERY).until(() -> depths.of("vigil.mqtt.inbox") + depths.of("vigil.observations") + depths.of("vigil.delivery.ehr") == 0);
        Thread.sleep(1000); // let the second transaction finish on the server side
        assertThat(observationsOf("urn:vigil:id:ward7", "MQTT-REDELIVERY")).hasSize(2);
        assertThat(patientsWith("urn:vigil:id:ward7", "MQTT-REDELIVERY")).isEqualTo(1);
    }

    /** MQTT 3.1.1 written by hand, so that a test can do what a client library hides: drop a PUBACK, resend with DUP. */
    private static final class RawMqtt implements AutoCloseable {
        private final Socket socket;

        private RawMqtt(Socket socket) {
            this.socket = socket;
        }

        static RawMqtt connect(int port, String clientId) throws Exception {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            writeString(body, "MQTT");
            body.write(4);      // protocol level 3.1.1
            body.write(0x00);   // connect flags: persistent session
            body.write(0);
            body.write(60);     // keep alive
            writeString(body, clientId);
            RawMqtt mqtt = new RawMqtt(socket);
            mqtt.send(0x10, body.toByteArray());
            assertThat(mqtt.readPacketType()).as("CONNACK").isEqualTo(0x20);
            return mqtt;
        }

        void publish(String topic, String payload, int packetId, boolean dup) throws Exception {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            writeString(body, topic);
            body.write(packetId >> 8);
            body.write(packetId & 0xff);
            body.write(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            send(0x32 | (dup ? 0x08 : 0), body.toByteArray());
        }

        int readPacketType() throws Exception {
            InputStream in = socket.getInputStream();
            int type = in.read() & 0xf0;
            int length = 0;
            int shift = 0;
            int b;
            do {
                b = in.read();
                length |= (b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            in.readNBytes(length);
            return type;
        }

        private void send(int header, byte[] body) throws Exception {
            OutputStream out = socket.getOutputStream();
            out.write(header);
            int length = body.length;
            do {
                int digit = length % 128;
                length /= 128;
                out.write(length > 0 ? digit | 0x80 : digit);
            } while (length > 0);
            out.write(body);
            out.flush();
        }

        private static void writeString(java.io.ByteArrayOutputStream out, String s) {
            byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.write(bytes.length >> 8);
            out.write(bytes.length & 0xff);
            out.write(bytes, 0, bytes.length);
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @Test
    void shouldQuarantineDeviceJsonItCannotRead() throws Exception {
        long before = depths.of("vigil.quarantine");
        ApplianceTestSupport.publishMqtt(ports.mqtt(), "vigil/devices/BROKEN1/observations", "{\"observations\": [{\"value\": 1}]}");

        await().atMost(DELIVERY).until(() -> depths.of("vigil.quarantine") == before + 1);
    }

    @Test
    void shouldServeHealthOpenlyAndTheConsoleOnlyAfterLogin() {
        assertThat(http.getForEntity("/actuator/health", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
        // a browser without a session is sent to the login form
        ResponseEntity<String> anonymous = http.getForEntity("/actuator/hawtio/", String.class);
        assertThat(anonymous.getBody()).contains("name=\"password\"").doesNotContain("hawtio");
        assertThat(http.withBasicAuth("admin", "wrong").getForEntity("/api/status", String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);

        TestRestTemplate operator = http.withBasicAuth("admin", "change-me");
        assertThat(operator.getForEntity("/actuator/hawtio/", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
        ResponseEntity<String> routes = operator.getForEntity(
                "/actuator/jolokia/search/org.apache.camel:context=vigil,type=routes,*", String.class);
        assertThat(routes.getBody()).contains("ingest-hl7", "ingest-mqtt", "build-fhir", "deliver-ehr");
        assertThat(operator.getForEntity("/api/status", String.class).getBody())
                .containsPattern("\"groupCommit\":\\{[^}]*\"failedCommits\":0")
                .containsPattern("\"directStore\":\\{[^}]*\"messages\":\\d+");
        String metrics = operator.getForEntity("/actuator/prometheus", String.class).getBody();
        assertThat(metrics).contains("vigil_queue_depth{queue=\"vigil.delivery.ehr.DLQ\"}")
                .containsPattern("vigil_messages_total\\{outcome=\"accepted\",protocol=\"hl7v2-mllp\"} [1-9]")
                .contains("vigil_delivery_request_seconds_count{destination=\"ehr\"}");
        assertThat(http.getForEntity("/actuator/prometheus", String.class).getBody()).doesNotContain("vigil_queue_depth");
        ResponseEntity<String> rules = operator.getForEntity("/actuator/jolokia/read/io.vigil:type=Rules", String.class);
        assertThat(rules.getBody()).contains("\"Version\":\"" + engine.version() + "\"").contains("\"FireCounts\"")
                .contains("\"AlertCounts\"");
    }

    @Test
    void shouldLogNoPatientDataWhateverArrives(CapturedOutput output) throws Exception {
        String nist = Samples.hl7("03"); // Hon^Albert, born 19610101, id HO2009001, 15 N Saguaro
        ApplianceTestSupport.sendHl7(ports.mllp(), nist.replace("9879790003", "phi-1"));
        ApplianceTestSupport.sendHl7(ports.mllp(), nist.replace("9879790003", "phi-2").replace("|55|", "|fifty|"));
        try (Socket socket = new Socket("127.0.0.1", ports.mllp())) {
            socket.getOutputStream().write(nist.replace("9879790003", "phi-3").getBytes(StandardCharsets.UTF_8)); // no MLLP frame
            socket.getOutputStream().flush();
            Thread.sleep(500);
        }
        try (Socket socket = new Socket("127.0.0.1", ports.mllp())) {
            socket.getOutputStream().write(mllp("PID|||HO2009001||Hon^Albert"));
            socket.getOutputStream().flush();
            socket.setSoTimeout(30_000);
            readFrame(socket.getInputStream());
        }
        ApplianceTestSupport.publishMqtt(ports.mqtt(), "vigil/devices/PHI1/observations",
                "{\"patient\": {\"value\": \"HO2009001\"}, \"observations\": []}");
        await().atMost(DELIVERY).until(() -> output.getAll().contains("phi-1") || depths.of("vigil.observations") == 0);
        Thread.sleep(2000);

        assertThat(output.getAll()).contains("VIGIL-HL7-007").contains("VIGIL-JSON-001")
                .doesNotContain("Albert").doesNotContain("19610101").doesNotContain("HO2009001").doesNotContain("Saguaro");
    }


    private static byte[] mllp(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[body.length + 3];
        frame[0] = 0x0b;
        System.arraycopy(body, 0, frame, 1, body.length);
        frame[body.length + 1] = 0x1c;
        frame[body.length + 2] = 0x0d;
        return frame;
    }

    private static String readFrame(InputStream in) throws java.io.IOException {
        StringBuilder out = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != 0x1c) {
            if (b != 0x0b) {
                out.append((char) b);
            }
        }
        return out.toString();
    }
}
