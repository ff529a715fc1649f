package io.vigil.bench;

import io.vigil.broker.DirectStore;
import io.vigil.broker.GroupCommit;
import io.vigil.support.TestFolders;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Durable stores of many senders, as the MLLP connections store their bundles: straight into the journal from each
 * sender's thread (directStore, what the appliance does) and through the group commit of the broker's JMS client
 * (groupCommitStore, what it does with what the direct store does not take). Each of the benchmark's threads stands
 * for a connection and waits until its message is on disk, on an embedded Artemis with its journal on this machine's
 * disk and the appliance's journal buffer timeout (100 us; parameter bufferTimeoutNanos). A bundle-sized message
 * (3.3 KB). The figure is messages a second over all threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(50)
public class GroupCommitBenchmark {

    @Param({"2"})
    public int writers;

    /** The journal buffer timeout in nanoseconds (vigil.artemis.journal-buffer-timeout: 100 us). */
    @Param({"100000"})
    public int bufferTimeoutNanos;

    private static final String QUEUE = "vigil.bench";
    private final String bundle = "{\"resourceType\":\"Bundle\",\"pad\":\"" + "x".repeat(3300) + "\"}";
    private EmbeddedActiveMQ broker;
    private ActiveMQConnectionFactory factory;
    private GroupCommit groupCommit;
    private DirectStore directStore;
    private Path journal;

    @Setup(Level.Trial)
    public void start() throws Exception {
        journal = TestFolders.create("vigil-bench-group-commit-");
        // the queue grows for the whole run: page to disk beyond 64 MiB instead of filling the heap
        broker = JournalBroker.start(journal, bufferTimeoutNanos, new AddressSettings().setMaxSizeBytes(64L * 1024 * 1024));
        factory = new ActiveMQConnectionFactory("vm://0");
        factory.setProducerWindowSize(1024 * 1024);
        groupCommit = new GroupCommit(factory, writers);
        broker.getActiveMQServer().createQueue(QueueConfiguration.of(QUEUE).setRoutingType(RoutingType.ANYCAST));
        directStore = new DirectStore(broker.getActiveMQServer(), Duration.ofSeconds(30));
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        groupCommit.close();
        factory.close();
        broker.stop();
    }

    @Benchmark
    public void groupCommitStore() throws Exception {
        groupCommit.send(new GroupCommit.Send(false, QUEUE, session -> session.createTextMessage(bundle)));
    }

    @Benchmark
    public void directStore() throws Exception {
        if (!directStore.store(false, QUEUE, session -> session.createTextMessage(bundle))) {
            throw new IllegalStateException("the direct store did not take the message");
        }
    }
}
