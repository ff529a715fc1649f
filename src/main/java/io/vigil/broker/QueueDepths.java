package io.vigil.broker;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.springframework.stereotype.Component;

/** Messages waiting on a queue of the embedded broker (0 for a queue not created yet). */
@Component
public class QueueDepths {

    private final EmbeddedActiveMQ broker;

    public QueueDepths(EmbeddedActiveMQ broker) {
        this.broker = broker;
    }

    public long of(String queue) {
        Queue q = broker.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return q == null ? 0 : q.getMessageCount();
    }
}
