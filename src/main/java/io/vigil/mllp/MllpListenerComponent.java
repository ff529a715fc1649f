package io.vigil.mllp;

import io.vigil.broker.DirectStore;
import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Camel component {@code vigil-mllp:HOST:PORT}: Vigil's MLLP listener (see {@link MllpListener}). Parameters:
 * {@code maxConnections} (50), {@code idleTimeout} in ms (600000), {@code maxFrameBytes} (64 MiB) and
 * {@code threads}, the threads that read and process the messages of all connections (0: one per core), and
 * {@code maxUnacknowledged} (200), the answers a connection may owe before it is read no more until its sender
 * has read half of them.
 */
public class MllpListenerComponent extends DefaultComponent {

    private final DirectStore store;

    public MllpListenerComponent(DirectStore store) {
        this.store = store;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        int colon = remaining.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("vigil-mllp: needs HOST:PORT, not '" + remaining + "' in " + uri);
        }
        int port;
        try {
            port = Integer.parseInt(remaining.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("vigil-mllp: port '" + remaining.substring(colon + 1) + "' is not a number in " + uri);
        }
        MllpListener.Settings settings = new MllpListener.Settings(remaining.substring(0, colon), port,
                getAndRemoveParameter(parameters, "maxConnections", Integer.class, 50),
                getAndRemoveParameter(parameters, "idleTimeout", Long.class, 600_000L),
                getAndRemoveParameter(parameters, "maxFrameBytes", Integer.class, 64 * 1024 * 1024),
                threads(getAndRemoveParameter(parameters, "threads", Integer.class, 0)),
                getAndRemoveParameter(parameters, "maxUnacknowledged", Integer.class, 200));
        return new ListenerEndpoint(uri, this, settings);
    }

    /** 0 (or less): one thread per core. */
    private static int threads(int setting) {
        return setting > 0 ? setting : Runtime.getRuntime().availableProcessors();
    }

    static final class ListenerEndpoint extends DefaultEndpoint {
        private final MllpListener.Settings settings;

        ListenerEndpoint(String uri, MllpListenerComponent component, MllpListener.Settings settings) {
            super(uri, component);
            this.settings = settings;
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            return new MllpListener(this, processor, settings, ((MllpListenerComponent) getComponent()).store);
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException("vigil-mllp: only listens; send HL7 with an MLLP client");
        }
    }
}
