package io.vigil.broker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FlowControlLogTest {

    private final Logger artemis = (Logger) LoggerFactory.getLogger(FlowControlLog.ARTEMIS_SERVER_LOGGER);
    private final Logger artemisChild = (Logger) LoggerFactory.getLogger(FlowControlLog.ARTEMIS_SERVER_LOGGER + ".impl");
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Logger own = (Logger) LoggerFactory.getLogger(FlowControlLog.class);
    private final ListAppender<ILoggingEvent> artemisLines = new ListAppender<>();
    private final ListAppender<ILoggingEvent> ownLines = new ListAppender<>();
    private FlowControlLog flowControl;

    @BeforeEach
    void attach() {
        artemisLines.start();
        ownLines.start();
        // what reaches the appliance's log: the root logger's appenders
        root.addAppender(artemisLines);
        own.addAppender(ownLines);
        flowControl = new FlowControlLog();
    }

    @AfterEach
    void detach() {
        flowControl.close();
        root.detachAppender(artemisLines);
        own.detachAppender(ownLines);
    }

    @Test
    void closingShouldGiveArtemisItsLinesBack() {
        flowControl.close();
        artemis.warn("AMQ222183: Blocking message production on address '{}'; {}", "vigil.observations", "size=1");

        assertThat(artemisLines.list).hasSize(1);
        flowControl = new FlowControlLog();
    }

    @Test
    void waitsShouldBeCountedAndReportedOnceAMinuteInsteadOfLoggedOneByOne() {
        for (int i = 0; i < 250; i++) {
            // the formats Artemis 2.44 logs with (ActiveMQServerLogger)
            artemis.warn("AMQ222183: Blocking message production on address '{}'; {}", "vigil.observations", "size=16948781");
            artemis.info("AMQ221046: Unblocking message production on address '{}'; {}", "vigil.observations", "size=0");
        }
        artemis.warn("AMQ222010: Critical IO Error, shutting down the server. file={}, message={}", "journal", "disk full");
        artemisChild.info("AMQ221001: Apache ActiveMQ Artemis Message Broker version {} [{}, nodeID={}]", "2.44.0", "x", "y");
        artemisChild.debug("not logged at INFO");

        assertThat(artemisLines.list).extracting(ILoggingEvent::getFormattedMessage)
                .as("every other line of Artemis, once each").satisfiesExactly(
                        line -> assertThat(line).startsWith("AMQ222010"),
                        line -> assertThat(line).startsWith("AMQ221001"));
        assertThat(flowControl.getWaits()).isEqualTo(250);

        assertThat(flowControl.report(1_000_000L)).isTrue();
        artemis.warn("AMQ222183: Blocking message production on address '{}'; {}", "vigil.observations", "size=1");
        assertThat(flowControl.report(1_000_000L + 30_000)).as("within the minute").isFalse();
        assertThat(flowControl.report(1_000_000L + 60_000)).isTrue();
        assertThat(flowControl.report(1_000_000L + 180_000)).as("no new waits").isFalse();

        assertThat(ownLines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Flow control: senders to [vigil.observations] waited for room 250 time(s) since the start: processing is "
                        + "behind ingest, and devices get their ACKs later (limit vigil.artemis.processing-backlog-bytes; "
                        + "see docs/reliability.md)",
                "Flow control: senders to [vigil.observations] waited for room 1 time(s) since the last report: processing "
                        + "is behind ingest, and devices get their ACKs later (limit vigil.artemis.processing-backlog-bytes; "
                        + "see docs/reliability.md)");
    }
}
