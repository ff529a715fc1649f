package io.vigil.broker;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * The appliance's own JMS consumers do not buffer messages ahead of their receive calls (Artemis consumer window
 * 0). Each route takes a message when it is ready for it, so a waiting message stays on its queue where any
 * consumer can take it: a delivery batch (vigil.ehr.batch) sees every waiting bundle, and no message sits in one
 * consumer's buffer while another consumer of the same queue is idle.
 */
@Component
class ConsumerWindow implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        ConnectionFactory target = bean instanceof CachingConnectionFactory caching ? caching.getTargetConnectionFactory()
                : bean instanceof ConnectionFactory factory ? factory : null;
        if (target instanceof ActiveMQConnectionFactory artemis) {
            artemis.setConsumerWindowSize(0);
        }
        return bean;
    }
}
