package io.vigil.support;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/** An embedded Artemis for unit tests: in memory, no security, reached at vm://{id}. */
public final class InVmBroker {

    private InVmBroker() {
    }

    /** Takes every message waiting on {@code queue} (a queue's name, or ADDRESS::QUEUE), until none comes for 500 ms. */
    public static List<Message> drain(ConnectionFactory factory, String queue) throws JMSException {
        List<Message> out = new ArrayList<>();
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            Message m;
            while ((m = consumer.receive(500)) != null) {
                out.add(m);
            }
        }
        return out;
    }

    /** Starts it; {@code everyAddress} (or null) applies to every address. */
    public static EmbeddedActiveMQ start(int id, AddressSettings everyAddress) throws Exception {
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(false);
        configuration.setSecurityEnabled(false);
        configuration.addAcceptorConfiguration("in-vm", "vm://" + id);
        if (everyAddress != null) {
            configuration.addAddressSetting("#", everyAddress);
        }
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(configuration);
        broker.start();
        return broker;
    }
}
