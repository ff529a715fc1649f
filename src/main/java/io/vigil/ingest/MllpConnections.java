package io.vigil.ingest;

import io.vigil.mllp.MllpListener;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * The MLLP listeners' connections for the console and the metrics: open now, refused above
 * vigil.mllp.max-connections (the listener warns of those at most once a minute), held at
 * vigil.mllp.max-unacknowledged, and closed unanswered.
 */
@Component
@ManagedResource(objectName = "io.vigil:type=MllpConnections", description = "MLLP connections open and refused")
public class MllpConnections implements CamelContextConfiguration {

    private volatile List<MllpListener> listeners = List.of();

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // the listeners exist once the routes have started
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        listeners = camelContext.getRoutes().stream().map(Route::getConsumer)
                .filter(MllpListener.class::isInstance).map(MllpListener.class::cast).toList();
    }

    @ManagedAttribute(description = "MLLP connections refused because all vigil.mllp.max-connections were in use")
    public long getRefused() {
        return listeners.stream().mapToLong(MllpListener::refused).sum();
    }

    @ManagedAttribute(description = "MLLP connections open now")
    public long getOpen() {
        return listeners.stream().mapToLong(MllpListener::open).sum();
    }

    @ManagedAttribute(description = "MLLP connections held now: each sent vigil.mllp.max-unacknowledged messages without "
            + "reading their ACKs, and is read again once its sender has read half of them")
    public long getHeld() {
        return listeners.stream().mapToLong(MllpListener::held).sum();
    }

    @ManagedAttribute(description = "Times an MLLP connection was held since the start")
    public long getHolds() {
        return listeners.stream().mapToLong(MllpListener::holds).sum();
    }

    @ManagedAttribute(description = "MLLP connections closed because a message could not be answered (the route left no "
            + "answer, or the journal could not store it); their senders send again")
    public long getClosedUnanswered() {
        return listeners.stream().mapToLong(MllpListener::closedUnanswered).sum();
    }
}
