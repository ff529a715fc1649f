package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.support.ApplianceTestSupport;
import io.vigil.support.FhirTestServer;
import io.vigil.support.TestFolders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A new vendor shape onboarded as a new user would: a mapping file and a code map saved into a running
 * appliance's mappings/, payloads over HTTP, MQTT and the drop folder, observations checked in the real HAPI
 * FHIR JPA server; an unmatched payload visible in quarantine and re-run once a mapping reads it; a broken
 * edit refused while the previous version keeps mapping.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"vigil.vendors.reload-delay=200ms"})
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VendorMappingsIT {

    private static final String SYSTEM = "https://acme-health.example/patients";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path mappings;
    private static Path dropFolder;
    private static ApplianceTestSupport.Ports ports;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final IGenericClient ehr = ApplianceTestSupport.fhirClient(FhirTestServer.baseUrl());

    @DynamicPropertySource
    static void setup(DynamicPropertyRegistry registry) throws Exception {
        mappings = TestFolders.create("vigil-mappings-");
        try (Stream<Path> files = Files.walk(Path.of("mappings"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.startsWith(Path.of("mappings/tests"))).toList()) {
                Path target = mappings.resolve(Path.of("mappings").relativize(f));
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
        dropFolder = TestFolders.create("vigil-inbox-");
        registry.add("vigil.mappings-dir", mappings::toString);
        registry.add("vigil.vendors.drop-folder", dropFolder::toString);
        ports = ApplianceTestSupport.register(registry, FhirTestServer.baseUrl());
    }

    /** A vendor shape found in no sample: readings with vendor kinds, epoch milliseconds, temperature in F. */
    private static String acmePayload(String serial, String mrn, long millis, int hr, int spo2, String tempF) {
        return """
                {"serial": "%s", "subject": {"mrn": "%s"}, "taken": %d,
                 "readings": [{"kind": "HR", "v": %d}, {"kind": "SPO2", "v": %d}, {"kind": "TEMP_F", "v": %s},
                              {"kind": "STEPS", "v": 1200}]}
                """.formatted(serial, mrn, millis, hr, spo2, tempF);
    }

    private static final String ACME_MAPPING = """
            # ACME wearable hub: one reading list per upload
            description: ACME hub uploads
            match: "$exists(serial) and $exists(readings)"
            device:
              id: serial
            patient:
              id: subject.mrn
              system: https://acme-health.example/patients
            time:
              at: taken
              format: epoch-millis
            values:
              - name: reading
                each: readings
                code:
                  map: acme-kinds
                  from: kind
                value: v
            """;

    private static final String ACME_KINDS = """
            vendor_code,mdc_code,loinc_code,unit,action,note
            HR,149546,,/min,,heart rate
            SPO2,150456,,%,,pulse oximetry
            TEMP_F,150364,,[degF],,skin-adhesive thermometer in Fahrenheit
            STEPS,,,,ignore,activity is not charted
            """;

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:change-me".getBytes()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:change-me".getBytes()))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private List<Observation> observationsOf(String system, String mrn) {
        Bundle result = ehr.search().forResource(Observation.class)
                .where(new ca.uhn.fhir.rest.gclient.ReferenceClientParam("subject")
                        .hasChainedProperty(Patient.IDENTIFIER.exactly().systemAndIdentifier(system, mrn)))
                .cacheControl(new CacheControlDirective().setNoCache(true)).count(100)
                .returnBundle(Bundle.class).execute();
        return result.getEntry().stream().map(e -> (Observation) e.getResource())
                .sorted(Comparator.comparing(o -> o.getCode().getCodingFirstRep().getCode())).toList();
    }

    private void onboardAcme() throws Exception {
        if (get("/api/mappings").path("active").findValuesAsText("name").contains("acme-hub")) {
            return;
        }
        Files.writeString(mappings.resolve("codes/acme-kinds.csv"), ACME_KINDS);
        Files.writeString(mappings.resolve("vendors/acme-hub.yaml"), ACME_MAPPING);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                get("/api/mappings").path("active").findValuesAsText("name").contains("acme-hub"));
    }

    @Test
    @Order(1)
    void newVendorShapeShouldReachTheEhrWithPatientCodeValueUnitAndTime() throws Exception {
        onboardAcme();
        long taken = 1764000000000L; // 2025-11-24T16:00:00Z

        HttpResponse<String> response = post("/api/ingest/acme-hub", acmePayload("AC-77", "MRN-IT-1", taken, 72, 97, "98.6"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode summary = JSON.readTree(response.body());
        assertThat(summary.path("observations").asInt()).isEqualTo(3);
        assertThat(summary.path("ignored").toString()).contains("vendor code STEPS is ignored");
        await().atMost(Duration.ofSeconds(60)).until(() -> observationsOf(SYSTEM, "MRN-IT-1").size() == 3);
        List<Observation> observations = observationsOf(SYSTEM, "MRN-IT-1");
        assertThat(observations).extracting(o -> o.getCode().getCodingFirstRep().getCode())
                .containsExactly("2708-6", "8310-5", "8867-4");
        assertThat(observations).extracting(o -> o.getValueQuantity().getValue().toPlainString() + " " + o.getValueQuantity().getCode())
                .containsExactly("97 %", "37 Cel", "72 /min");
        assertThat(observations).allSatisfy(o ->
                assertThat(o.getEffectiveDateTimeType().getValue().toInstant().toEpochMilli()).isEqualTo(taken));
    }

    @Test
    @Order(2)
    void payloadNoMappingReadsShouldWaitInQuarantineAndBeRerunOnceAMappingReadsIt() throws Exception {
        String beta = "{\"beta_device\": \"B-1\", \"mrn\": \"MRN-IT-2\", \"at\": \"2026-11-24T08:00:00+01:00\", \"pulse\": 101}";
        long before = get("/api/quarantine").path("waiting").asLong();

        HttpResponse<String> response = post("/api/ingest/beta-hub", beta);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("VIGIL-MAP-002");
        JsonNode quarantine = get("/api/quarantine");
        assertThat(quarantine.path("waiting").asLong()).isEqualTo(before + 1);
        assertThat(quarantine.path("latest").get(0).path("reason").asText()).startsWith("VIGIL-MAP-002");
        assertThat(quarantine.path("latest").get(0).path("source").asText()).isEqualTo("beta-hub");

        Files.writeString(mappings.resolve("vendors/beta-hub.yaml"), """
                match: "$exists(beta_device)"
                device: { id: beta_device }
                patient: { id: mrn, system: "https://acme-health.example/patients" }
                time: { at: at }
                values:
                  - code: { mdc: "149546" }
                    value: pulse
                    unit: /min
                """);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                get("/api/mappings").path("active").findValuesAsText("name").contains("beta-hub"));
        HttpResponse<String> rerun = post("/api/quarantine/rerun?filter=VigilSource%3D%27beta-hub%27", "");

        assertThat(rerun.statusCode()).as(rerun.body()).isEqualTo(200);
        assertThat(JSON.readTree(rerun.body()).path("rerun").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> observationsOf(SYSTEM, "MRN-IT-2").size() == 1);
        assertThat(observationsOf(SYSTEM, "MRN-IT-2").get(0).getValueQuantity().getValue().intValue()).isEqualTo(101);
        assertThat(get("/api/quarantine").path("waiting").asLong()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void brokenEditShouldBeRefusedWhileThePreviousVersionKeepsMapping() throws Exception {
        onboardAcme();
        Files.writeString(mappings.resolve("vendors/acme-hub.yaml"), ACME_MAPPING.replace("format: epoch-millis", "format: epoch-weeks"));
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/mappings").path("refused").has("vendors/acme-hub.yaml"));
        assertThat(get("/api/mappings").path("refused").path("vendors/acme-hub.yaml").asText())
                .startsWith("VIGIL-MAP-001 vendors/acme-hub.yaml:").contains("time.format must be one of");

        HttpResponse<String> response = post("/api/ingest/acme-hub", acmePayload("AC-78", "MRN-IT-3", 1764003600000L, 80, 95, "99.5"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> observationsOf(SYSTEM, "MRN-IT-3").size() == 3);
        Files.writeString(mappings.resolve("vendors/acme-hub.yaml"), ACME_MAPPING);
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/mappings").path("refused").isEmpty());
    }

    @Test
    @Order(4)
    void mqttVendorTopicAndDropFolderShouldReachTheEhr() throws Exception {
        onboardAcme();
        ApplianceTestSupport.publishMqtt(ports.mqtt(), "vigil/vendors/acme-hub/AC-79",
                acmePayload("AC-79", "MRN-IT-4", 1764007200000L, 66, 99, "97.7"));
        Path ward = Files.createDirectories(dropFolder.resolve("ward-7-spot-check"));
        Path csv = ward.resolve("export-0930.csv");
        Files.writeString(csv.resolveSibling(".export-0930.csv.part"), "device_serial,patient_mrn,measured_at,heart_rate,spo2,resp_rate,temp_c,systolic,diastolic\n"
                + "SC-0042,MRN-IT-5,2026-11-24 09:30,88,95,18,37.9,128,82\n", StandardCharsets.UTF_8);
        Files.move(csv.resolveSibling(".export-0930.csv.part"), csv);

        await().atMost(Duration.ofSeconds(60)).until(() -> observationsOf(SYSTEM, "MRN-IT-4").size() == 3);
        await().atMost(Duration.ofSeconds(60)).until(() -> observationsOf("urn:vigil:patient-id", "MRN-IT-5").size() == 5);
        assertThat(observationsOf("urn:vigil:patient-id", "MRN-IT-5")).extracting(o -> o.getCode().getCodingFirstRep().getCode())
                .containsExactly("2708-6", "8310-5", "85354-9", "8867-4", "9279-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(csv));
        try (Stream<Path> done = Files.walk(dropFolder.resolve(".done"))) {
            assertThat(done.filter(Files::isRegularFile).map(p -> dropFolder.resolve(".done").relativize(p).toString()))
                    .singleElement().asString().endsWith("/ward-7-spot-check/export-0930.csv");
        }
    }

    @Test
    @Order(5)
    void analystShouldTryAPayloadOverHttpWithFhirAndDifferences() throws Exception {
        String payload = Files.readString(Path.of("mappings/tests/ihealth-spo2/input.json"));
        JsonNode expected = JSON.readTree(Path.of("mappings/tests/ihealth-spo2/expected.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("observations").get(0)).put("value", 98);
        String envelope = JSON.writeValueAsString(JSON.createObjectNode().put("payload", payload).set("expected", expected));

        HttpResponse<String> response = post("/api/mappings/test?envelope=true&patient=MRN-4001&device=ihealth-user-7", envelope);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(response.body());
        assertThat(result.path("passed").asBoolean()).isFalse();
        assertThat(result.path("differences").toString()).contains("$.observations[0].value: expected 98, got 99");
        assertThat(result.path("result").path("mapping").asText()).isEqualTo("ihealth-spo2");
        assertThat(result.path("fhir").path("resourceType").asText()).isEqualTo("Bundle");
    }
}
