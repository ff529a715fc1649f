package io.vigil.simulator;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Command-line settings of the load tool: --beds, --rate (messages per second per bed), --duration, ...;
 * --http-port and --login (user:password) to read the appliance's CPU, heap and end-to-end latency;
 * --warmup: seconds of load before the measurement starts (the appliance's JIT compiles its hot paths then), or
 * "auto": until its JIT compiler has been busy less than 10 % of the last 30 s (at least 60 s, at most 10 minutes);
 * --write DIR: write the MLLP frames each connection would send in --duration into DIR (one file per connection,
 * for an MLLP client that is not part of Vigil) instead of sending them;
 * --panel-every N: every Nth message of a bed carries blood pressure and temperature too (7 observations instead of
 * 3; default 30, as a monitor that takes a cuff pressure every half hour; 1: every message, about the six
 * observations a message of a fully equipped bed carries).
 */
record LoadSettings(int beds, double rate, Duration duration, int connections, double mqttShare, String host,
                    int mllpPort, int mqttPort, int httpPort, String login, Duration warmup, boolean autoWarmup,
                    Path write, int panelEvery) {

    /** Shortest and longest auto warm-up. */
    static final Duration AUTO_WARMUP_MIN = Duration.ofSeconds(60);
    static final Duration AUTO_WARMUP_MAX = Duration.ofMinutes(10);

    static LoadSettings parse(String[] args) {
        int beds = 100;
        double rate = 1.0;
        Duration duration = Duration.ofSeconds(60);
        int connections = 20;
        double mqttShare = 0.5;
        String host = "127.0.0.1";
        int mllpPort = 2575;
        int mqttPort = 1883;
        int httpPort = 8080;
        String login = "admin:change-me";
        Duration warmup = Duration.ofSeconds(20);
        boolean autoWarmup = false;
        Path write = null;
        int panelEvery = 30;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "load" -> {
                    continue;
                }
                case "--beds" -> beds = Integer.parseInt(value);
                case "--rate" -> rate = Double.parseDouble(value.replace("/s", ""));
                case "--duration" -> duration = Duration.ofSeconds(Long.parseLong(value.replace("s", "")));
                case "--warmup" -> {
                    autoWarmup = "auto".equals(value);
                    warmup = autoWarmup ? AUTO_WARMUP_MAX : Duration.ofSeconds(Long.parseLong(value.replace("s", "")));
                }
                case "--connections" -> connections = Integer.parseInt(value);
                case "--mqtt-share" -> mqttShare = Double.parseDouble(value);
                case "--mllp-only" -> {
                    mqttShare = 0;
                    continue;
                }
                case "--mqtt-only" -> {
                    mqttShare = 1;
                    continue;
                }
                case "--host" -> host = value;
                case "--mllp-port" -> mllpPort = Integer.parseInt(value);
                case "--mqtt-port" -> mqttPort = Integer.parseInt(value);
                case "--http-port" -> httpPort = Integer.parseInt(value);
                case "--login" -> login = value;
                case "--write" -> write = Path.of(value);
                case "--panel-every" -> {
                    panelEvery = Integer.parseInt(value);
                    if (panelEvery < 1) {
                        throw new IllegalArgumentException("--panel-every must be 1 or more, not " + value);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (options: --beds --rate --duration --warmup --connections --mqtt-share --mllp-only --mqtt-only --host --mllp-port --mqtt-port --http-port --login --write --panel-every)");
            }
            i++;
        }
        return new LoadSettings(beds, rate, duration, connections, mqttShare, host, mllpPort, mqttPort, httpPort, login,
                warmup, autoWarmup, write, panelEvery);
    }
}
