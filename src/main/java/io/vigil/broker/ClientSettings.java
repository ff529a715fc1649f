package io.vigil.broker;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.env.Environment;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * How the appliance's own JMS client talks to the embedded Artemis, so that a message costs no broker round trip
 * beyond its send and commit:
 * <ul>
 * <li>queues named by a route are looked up once per session, not before every send (Artemis otherwise asks the
 * broker whether the queue exists each time a route sends to it by name);</li>
 * <li>the session cache holds a session for every sender that can run at once (the MLLP listener's threads, at most
 * one per connection, each
 * consumer of the observations queue and of the MQTT inbox, and the other routes), so no send opens and closes a
 * broker session;</li>
 * <li>a producer may send {@value #PRODUCER_WINDOW_BYTES} bytes ahead of the broker's acknowledgement of them instead
 * of Artemis's 64 KiB: the group commit (one producer sending for every MLLP connection) otherwise waited for
 * send credits about 40 % of its time, about twenty bundles at a time.</li>
 * </ul>
 */
@Component
class ClientSettings implements BeanPostProcessor {

    /** Sessions for routes other than MLLP connections and processing consumers (vendor, delivery, replay, console). */
    static final int OTHER_SENDERS = 16;
    static final int PRODUCER_WINDOW_BYTES = 1024 * 1024;

    private final Environment environment;

    ClientSettings(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Object target = bean;
        if (bean instanceof CachingConnectionFactory caching) {
            caching.setSessionCacheSize(Math.max(caching.getSessionCacheSize(), sessionsNeeded(environment)));
            target = caching.getTargetConnectionFactory();
        }
        if (target instanceof ActiveMQConnectionFactory artemis) {
            artemis.setCacheDestinations(true);
            artemis.setProducerWindowSize(PRODUCER_WINDOW_BYTES);
        }
        return bean;
    }

    static int sessionsNeeded(Environment environment) {
        // processing consumers: of the observations queue and of the MQTT inbox, vigil.processing.consumers each
        return environment.getProperty("vigil.mllp.max-connections", Integer.class, 50)
                + 2 * environment.getProperty("vigil.processing.consumers", Integer.class, 8) + OTHER_SENDERS;
    }
}
