package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.vigil.support.ApplianceTestSupport;
import io.vigil.support.FhirTestServer;
import io.vigil.support.FreePorts;
import io.vigil.support.Samples;
import io.vigil.support.TestFolders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged appliance (target/vigil.jar, its own JVM) is killed with SIGKILL in the middle of a stream of
 * PCD-01 messages and started again on the same data directory, the second time as an operator would, with
 * bin/vigil and the class archive it makes. The sender behaves as a monitor does: it resends a message until it
 * gets its ACK. Every ACKed message must reach the real HAPI FHIR JPA EHR, none twice.
 */
class ApplianceCrashIT {

    private static final int MESSAGES = 400;
    private static final String PATIENT = "CRASH-1";

    private final List<Process> processes = new ArrayList<>();
    private final int mllp = FreePorts.next();
    private final int mqtt = FreePorts.next();
    private final int artemis = FreePorts.next();
    private final int http = FreePorts.next();
    private Path data;

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final Path CLASSES_LOADED = Path.of("target/crash-it/classes-loaded-2.log");

    /** Run 1 as java -jar target/vigil.jar; run 2 as bin/vigil, logging where each class came from. */
    private Process start(int run) throws Exception {
        Path log = Path.of("target/crash-it/vigil-" + run + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(run == 1 ? List.of(JAVA, "-Xmx512m", "-jar", "target/vigil.jar") : List.of("bash", "bin/vigil"));
        command.addAll(List.of("--vigil.data-dir=" + data, "--vigil.mllp.port=" + mllp, "--vigil.mqtt.port=" + mqtt,
                "--vigil.artemis.port=" + artemis, "--server.port=" + http, "--vigil.hl7.device-zone=UTC",
                "--vigil.ehr.base-url=" + FhirTestServer.baseUrl(), "--spring.jmx.enabled=false"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA", JAVA);
        builder.environment().put("JAVA_OPTS", "-Xmx512m -Xlog:class+load=info:file=" + CLASSES_LOADED);
        Process p = builder.start();
        processes.add(p);
        HttpClient client = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        return p;
    }

    @Test
    void everyAckedMessageShouldBeChartedOnceAfterAKillDashNine() throws Exception {
        data = TestFolders.create("vigil-crash-");
        prepareLauncher();
        Process first = start(1);
        String template = Samples.hl7("04").replace("HO2009001^^^NIST", PATIENT + "^^^NIST");
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicInteger resends = new AtomicInteger();
        Thread sender = new Thread(() -> {
            for (int i = 0; i < MESSAGES; i++) {
                String id = "crash-" + i;
                while (true) { // a monitor resends until it has the ACK
                    try {
                        if (ApplianceTestSupport.sendHl7(mllp, template.replace("0104ef190d604db188c3", id)).contains("MSA|AA|" + id)) {
                            acked.add(id);
                            break;
                        }
                    } catch (Exception e) {
                        resends.incrementAndGet();
                        try {
                            Thread.sleep(250);
                        } catch (InterruptedException stop) {
                            return;
                        }
                    }
                }
            }
        });
        sender.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> acked.size() >= MESSAGES / 3);

        first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        first.waitFor();
        int ackedAtKill = acked.size();
        int chartedAtKill = observations().size();
        start(2);
        sender.join(Duration.ofMinutes(5).toMillis());

        assertThat(acked).hasSize(MESSAGES);
        // every message charts one blood pressure panel and one pulse rate
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).until(() -> observations().size() >= 2 * MESSAGES);
        Thread.sleep(3000); // anything still on its way would show up now
        List<String> charted = observations();
        Set<String> distinct = new HashSet<>(charted);
        System.out.printf("kill -9 test: %d sent, %d ACKed (%d ACKed before the kill, %d observations charted then), "
                        + "%d resends by the sender, %d observations charted, %d distinct%n",
                MESSAGES, acked.size(), ackedAtKill, chartedAtKill, resends.get(), charted.size(), distinct.size());
        assertThat(chartedAtKill).as("the kill came while ACKed messages were still on their way").isLessThan(2 * ackedAtKill);
        assertThat(charted).hasSize(2 * MESSAGES);
        assertThat(distinct).hasSize(2 * MESSAGES);
        // the restart by bin/vigil took Vigil's own classes from its class archive
        assertThat(Files.readAllLines(CLASSES_LOADED)).anyMatch(line -> line.contains("io.vigil.ingest.Hl7Ingest source: shared objects file"));
    }

    /** bin/vigil prepare: the class archive of this jar and Java, made by a training start on ports of its own. */
    private void prepareLauncher() throws Exception {
        Path log = Path.of("target/crash-it/vigil-prepare.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder("bash", "bin/vigil", "prepare").redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA", JAVA);
        builder.environment().put("JAVA_OPTS", "-Xmx512m");
        Process prepare = builder.start();
        processes.add(prepare);
        assertThat(prepare.waitFor(3, TimeUnit.MINUTES)).as("bin/vigil prepare ended within 3 minutes").isTrue();
        assertThat(prepare.exitValue()).as(Files.readString(log)).isZero();
        assertThat(Path.of("target/vigil-start/stamp")).as(Files.readString(log)).exists();
    }

    /** The identifiers of the patient's Observations in the EHR (one per charted value). */
    private List<String> observations() {
        IGenericClient fhir = ApplianceTestSupport.fhirClient(FhirTestServer.baseUrl());
        List<String> ids = new ArrayList<>();
        Bundle page = fhir.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasChainedProperty(Patient.IDENTIFIER.exactly().systemAndIdentifier("urn:vigil:id:NIST", PATIENT)))
                .elementsSubset("identifier").count(500).cacheControl(new CacheControlDirective().setNoCache(true))
                .returnBundle(Bundle.class).execute();
        while (true) {
            page.getEntry().forEach(e -> ids.add(((Observation) e.getResource()).getIdentifierFirstRep().getValue()));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return ids;
            }
            page = fhir.loadPage().next(page).execute();
        }
    }
}
