package io.vigil.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Before anything starts, checks that the MLLP, MQTT and broker ports can be bound, so that the boot fails at
 * once with the port and the setting to change (registered in META-INF/spring.factories).
 */
public class ListenerPortCheck implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        Environment env = context.getEnvironment();
        if (!env.getProperty("vigil.listener-check.enabled", Boolean.class, true)) {
            return;
        }
        check(env, "vigil.mllp.host", "vigil.mllp.port");
        check(env, "vigil.mqtt.host", "vigil.mqtt.port");
        check(env, "vigil.artemis.host", "vigil.artemis.port");
    }

    private static void check(Environment env, String hostSetting, String portSetting) {
        String host = env.getProperty(hostSetting, "127.0.0.1");
        Integer port = env.getProperty(portSetting, Integer.class);
        if (port == null || port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new ListenerUnavailableException(portSetting, host, port, e.getMessage());
        }
    }
}
