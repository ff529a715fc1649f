package io.vigil.broker;

import jakarta.jms.ConnectionFactory;
import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.service.ServiceHelper;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Camel component {@code store:queue:NAME} and {@code store:topic:NAME}: stores the message durably on the embedded
 * broker and returns once it is on disk, as {@code jms:} does, with the same message (body and headers mapped as
 * {@code jms:} maps them), always one way (InOnly).
 * <ul>
 * <li>Inside a route that took its message from a queue (build-fhir, ingest-mqtt: a JMS transaction is open on the
 * thread), the send joins that transaction through {@code jms:}, so taking and forwarding still commit together.</li>
 * <li>Otherwise (ingest-hl7 on the MLLP listener's threads) the message goes straight into the embedded broker's
 * journal from that thread ({@link DirectStore}): the journal syncs what all connections wrote together. The MLLP
 * listener waits for the disk itself before it answers ({@link #DISK_AWAITED_BY_CONSUMER}). What that
 * does not take (a queue not created yet, flow control, a large message) goes through {@link GroupCommit}: many
 * connections' messages in one broker transaction and one disk sync.</li>
 * </ul>
 * Messages are taken from queues with {@code jms:} as before; {@code store:} only sends.
 */
public class StoreComponent extends DefaultComponent {

    /**
     * Exchange property: when true, the route's consumer waits for the disk itself before it answers the sender
     * ({@link DirectStore#afterStored}), so a direct store returns once the message is in the journal's buffer. The
     * MLLP listener sets it: its few threads go on to the next connection's message instead of waiting.
     */
    public static final String DISK_AWAITED_BY_CONSUMER = "vigilDiskAwaitedByConsumer";

    private final DirectStore directStore;
    private final GroupCommit groupCommit;

    public StoreComponent(DirectStore directStore, GroupCommit groupCommit) {
        this.directStore = directStore;
        this.groupCommit = groupCommit;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        int colon = remaining.indexOf(':');
        String kind = colon < 0 ? "" : remaining.substring(0, colon);
        String name = colon < 0 ? "" : remaining.substring(colon + 1);
        if (!(kind.equals("queue") || kind.equals("topic")) || name.isBlank()) {
            throw new IllegalArgumentException("store: needs queue:NAME or topic:NAME, not '" + remaining + "' in " + uri);
        }
        // exchangePattern=InOnly, as routes write it for jms:, changes nothing here: store: is always one way
        parameters.remove("exchangePattern");
        return new StoreEndpoint(uri, this, kind.equals("topic"), name);
    }

    DirectStore directStore() {
        return directStore;
    }

    GroupCommit groupCommit() {
        return groupCommit;
    }

    static final class StoreEndpoint extends DefaultEndpoint {
        final boolean topic;
        final String name;

        StoreEndpoint(String uri, StoreComponent component, boolean topic, String name) {
            super(uri, component);
            this.topic = topic;
            this.name = name;
        }

        @Override
        public Producer createProducer() {
            return new StoreProducer(this);
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("store: only sends; take messages from " + name + " with jms:");
        }

        @Override
        public StoreComponent getComponent() {
            return (StoreComponent) super.getComponent();
        }
    }

    static final class StoreProducer extends DefaultProducer {
        private final StoreEndpoint endpoint;
        private JmsEndpoint jms;
        private Producer jmsProducer;
        private ConnectionFactory routeFactory;

        StoreProducer(StoreEndpoint endpoint) {
            super(endpoint);
            this.endpoint = endpoint;
        }

        @Override
        protected void doStart() throws Exception {
            jms = getEndpoint().getCamelContext().getEndpoint(
                    "jms:" + (endpoint.topic ? "topic:" : "queue:") + endpoint.name, JmsEndpoint.class);
            jmsProducer = jms.createProducer();
            ServiceHelper.startService(jmsProducer);
            routeFactory = getEndpoint().getCamelContext().getComponent("jms", JmsComponent.class)
                    .getConfiguration().getConnectionFactory();
            if (routeFactory == null) {
                // without it a send inside a transacted route could not be told from one outside, and would
                // escape the route's transaction
                throw new IllegalStateException("store: needs the jms component's connection factory to join the "
                        + "transactions of routes that take their messages from queues; none is configured");
            }
        }

        @Override
        protected void doStop() {
            ServiceHelper.stopService(jmsProducer);
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            ExchangePattern pattern = exchange.getPattern();
            exchange.setPattern(ExchangePattern.InOnly);
            try {
                if (exchange.isTransacted() || inTransaction()) {
                    jmsProducer.process(exchange);
                } else {
                    GroupCommit.MessageBuilder message = session -> jms.getBinding().makeJmsMessage(exchange, session);
                    int bodyBytes = exchange.getIn().getBody() instanceof byte[] bytes ? bytes.length : 0;
                    boolean awaitDisk = !exchange.getProperty(DISK_AWAITED_BY_CONSUMER, false, Boolean.class);
                    if (!endpoint.getComponent().directStore().store(endpoint.topic, endpoint.name, bodyBytes, message,
                            awaitDisk)) {
                        endpoint.getComponent().groupCommit().send(
                                new GroupCommit.Send(endpoint.topic, endpoint.name, message));
                    }
                }
            } finally {
                exchange.setPattern(pattern);
            }
        }

        /** Whether a JMS session is bound to this thread: the route's consumer's, whose transaction jms: joins. */
        private boolean inTransaction() {
            return TransactionSynchronizationManager.hasResource(routeFactory);
        }
    }

    /** The broker connection factory under Spring's session cache: the group commit keeps its own connection. */
    static ConnectionFactory unwrap(ConnectionFactory factory) {
        return factory instanceof CachingConnectionFactory caching && caching.getTargetConnectionFactory() != null
                ? caching.getTargetConnectionFactory() : factory;
    }
}
