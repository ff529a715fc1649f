package io.vigil.broker;

import io.vigil.config.ListenerUnavailableException;
import io.vigil.config.VigilProperties;
import jakarta.annotation.PostConstruct;
import java.util.Map;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;
import org.springframework.stereotype.Component;

/**
 * Artemis logs AMQ229230 and carries on when an acceptor cannot bind; Vigil refuses to run without its device
 * listeners instead, so that nobody tests against another process's port.
 */
@Component
class BrokerListenerCheck {

    private final EmbeddedActiveMQ broker;
    private final VigilProperties properties;

    BrokerListenerCheck(EmbeddedActiveMQ broker, VigilProperties properties) {
        this.broker = broker;
        this.properties = properties;
    }

    @PostConstruct
    void verifyAcceptorsStarted() {
        Map<String, Acceptor> acceptors = broker.getActiveMQServer().getRemotingService().getAcceptors();
        check(acceptors.get(BrokerAcceptors.MQTT_ACCEPTOR), "vigil.mqtt.port", properties.mqtt().host(), properties.mqtt().port());
        check(acceptors.get(BrokerAcceptors.CORE_ACCEPTOR), "vigil.artemis.port", properties.artemis().host(), properties.artemis().port());
    }

    /** A Netty acceptor whose bind failed still reports isStarted(); only a bound one knows its port. */
    private static void check(Acceptor acceptor, String setting, String host, int port) {
        boolean bound = acceptor instanceof NettyAcceptor netty ? netty.getActualPort() > 0
                : acceptor != null && acceptor.isStarted();
        if (!bound) {
            throw new ListenerUnavailableException(setting, host, port, "the broker could not bind it (AMQ229230)");
        }
    }
}
