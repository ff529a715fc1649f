package io.vigil.bench;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vigil.delivery.FastSink;
import io.vigil.fhir.FhirBundleBuilder;
import io.vigil.fhir.FhirJson;
import io.vigil.hl7.Hl7Codec;
import io.vigil.hl7.PatientIdentifierSystems;
import io.vigil.hl7.Pcd01Extractor;
import io.vigil.hl7.VendorCodes;
import io.vigil.ingest.Hashes;
import io.vigil.model.CanonicalJson;
import io.vigil.model.ObservationBatch;
import io.vigil.normalize.Terminology;
import io.vigil.support.TestFolders;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The per-message stages of the PCD-01 path on one thread, on the real code: {@code readAndExtract} is what
 * Hl7Ingest.read does with a frame (hash, decode, Pcd01Text reading straight from the text, Pcd01Extractor);
 * {@code readAndExtractHapi} the same with HAPI's parse into v2.6 (what it did before, and still does for messages
 * that are not plain); {@code fhirBundle} is what FhirProcessing does after the rules (FhirBundleBuilder, JSON of the
 * transaction Bundle by Vigil's writer; {@code fhirBundleHapiJson} the same with HAPI's); {@code durableEnqueue} is
 * one persistent JMS send to a durable queue of an embedded Artemis with its journal on this machine's disk, as
 * each MLLP connection did before it ACKed until its messages went through the group commit (GroupCommitBenchmark). Sample 04 (NIBP panel and pulse: a 2-observation message); each call's control id
 * differs. {@code fastSinkCheck} is the fast sink's check of one delivered bundle (sample 01, seven observations),
 * {@code fastSinkCheckJackson} the same walk with Jackson's tokenizer (what the sink did before change 30).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StagesBenchmark {

    private Hl7Codec codec;
    private Pcd01Extractor extractor;
    private FhirBundleBuilder bundles;
    private String message;
    private ObservationBatch batch;
    /** What durableEnqueue sends: the canonical batch as JSON, a message of the size ingest stores. */
    private String batchJson;
    private long counter;
    /** The FHIR bundle of sample 01 (Philips IntelliVue MX500, seven observations), as the delivery consumer reads it: UTF-8 bytes. */
    private byte[] sevenObservationBundle;
    /** The same bundle as HAPI's model, built once: what {@code bundleUtf8} writes. */
    private org.hl7.fhir.r4.model.Bundle sevenObservationModel;
    private static final JsonFactory TOKENS = new JsonFactory();

    private EmbeddedActiveMQ broker;
    private Connection connection;
    private Session session;
    private MessageProducer producer;
    private Path journal;

    @Setup
    public void setUp() throws Exception {
        Terminology terminology = Terminology.load(Path.of("mappings"));
        codec = new Hl7Codec(StandardCharsets.UTF_8);
        extractor = new Pcd01Extractor(terminology, ZoneId.of("UTC"), new PatientIdentifierSystems(Map.of()), VendorCodes.NONE);
        bundles = new FhirBundleBuilder(FhirContext.forR4(), terminology);
        message = Files.readString(Path.of("src/test/resources/samples/hl7/04_pcd01_acme_gateway_nibp.hl7"))
                .strip().replace("\r\n", "\r").replace('\n', '\r');
        batch = extractor.extract(codec.parse(message), Instant.now(), "0");
        batchJson = CanonicalJson.MAPPER.writeValueAsString(batch);
        String seven = Files.readString(Path.of("src/test/resources/samples/hl7/01_pcd01_philips_intellivue_mx500.hl7"))
                .strip().replace("\r\n", "\r").replace('\n', '\r');
        sevenObservationModel = bundles.build(extractor.extract(codec.parse(seven), Instant.now(), "0"), "bench");
        sevenObservationBundle = bundles.toUtf8(sevenObservationModel);
    }

    @Setup(Level.Trial)
    public void startBroker() throws Exception {
        journal = TestFolders.create("vigil-bench-journal-");
        broker = JournalBroker.start(journal, Long.getLong("vigil.bench.journal-buffer-timeout-ns", -1), null);
        connection = new ActiveMQConnectionFactory("vm://0").createConnection();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(session.createQueue("vigil.bench"));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
    }

    @TearDown(Level.Trial)
    public void stopBroker() throws Exception {
        connection.close();
        broker.stop();
    }

    @Benchmark
    public ObservationBatch readAndExtract() throws Exception {
        byte[] frame = frame();
        return extractor.extract(codec.read(codec.decode(frame)), Instant.now(), Hashes.sha256(frame));
    }

    @Benchmark
    public ObservationBatch readAndExtractHapi() throws Exception {
        byte[] frame = frame();
        return extractor.extract(codec.parse(codec.decode(frame)), Instant.now(), Hashes.sha256(frame));
    }

    private byte[] frame() {
        return message.replace("0104ef190d604db188c3", "bench-" + (counter++)).getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public String fhirBundle() throws Exception {
        return bundles.toJson(bundles.build(batch, "bench"));
    }

    /** The same bundle written by HAPI's JSON parser (what {@code fhirBundle} did before Vigil's own writer). */
    @Benchmark
    public String fhirBundleHapiJson() throws Exception {
        return bundles.hapiJson(bundles.build(batch, "bench"));
    }

    @Benchmark
    public void durableEnqueue() throws Exception {
        producer.send(session.createTextMessage(batchJson));
    }

    /** Vigil's JSON writer alone: the seven-observation bundle, built once, written as UTF-8 bytes. */
    @Benchmark
    public byte[] bundleUtf8() {
        return FhirJson.utf8(sevenObservationModel);
    }

    @Benchmark
    public byte[] fastSinkCheck() {
        FastSink.check(sevenObservationBundle);
        return sevenObservationBundle;
    }

    /** Tokens of the same bundle through Jackson, names and the entry array walked as the sink did before change 30. */
    @Benchmark
    public int fastSinkCheckJackson() throws Exception {
        int entries = 0;
        try (JsonParser json = TOKENS.createParser(sevenObservationBundle)) {
            json.nextToken();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                if ("entry".equals(name) && value == JsonToken.START_ARRAY) {
                    while (json.nextToken() != JsonToken.END_ARRAY) {
                        entries++;
                        json.skipChildren();
                    }
                } else {
                    json.skipChildren();
                }
            }
        }
        return entries;
    }
}
