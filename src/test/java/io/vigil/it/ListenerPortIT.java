package io.vigil.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.VigilApplication;
import io.vigil.config.ListenerUnavailableException;
import io.vigil.support.FreePorts;
import io.vigil.support.TestFolders;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The boot fails, naming the port and its setting, when a listener cannot bind. */
class ListenerPortIT {

    /** Starts the appliance with command-line settings, which override config/application.yaml. */
    private static void start(int mllp, int mqtt, String... extra) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "--server.port=0",
                "--vigil.data-dir=" + TestFolders.create("vigil-port-it"),
                "--vigil.mllp.port=" + mllp,
                "--vigil.mqtt.port=" + mqtt,
                "--vigil.artemis.port=" + FreePorts.next(),
                "--spring.jmx.enabled=false"));
        args.addAll(java.util.List.of(extra));
        new SpringApplicationBuilder(VigilApplication.class).run(args.toArray(String[]::new)).close();
    }

    private static ServerSocket occupy() throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress("127.0.0.1", 0));
        return socket;
    }

    @Test
    void shouldRefuseToStartWhenTheMllpPortIsTaken() throws Exception {
        try (ServerSocket taken = occupy()) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> start(port, FreePorts.next()))
                    .satisfies(e -> Assertions.assertThat(rootListenerFailure(e).getMessage())
                            .contains("127.0.0.1:" + port).contains("vigil.mllp.port"));
        }
    }

    @Test
    void shouldRefuseToStartWhenTheBrokerCannotOpenTheMqttPort() throws Exception {
        try (ServerSocket taken = occupy()) {
            int port = taken.getLocalPort();
            // without the early check, the broker's own acceptor check must still stop the boot
            assertThatThrownBy(() -> start(FreePorts.next(), port, "--vigil.listener-check.enabled=false"))
                    .satisfies(e -> Assertions.assertThat(rootListenerFailure(e).getMessage())
                            .contains("127.0.0.1:" + port).contains("vigil.mqtt.port"));
        }
    }

    private static ListenerUnavailableException rootListenerFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ListenerUnavailableException l) {
                return l;
            }
        }
        throw new AssertionError("no ListenerUnavailableException in " + e, e);
    }
}
