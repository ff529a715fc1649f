package io.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class ProcessingSlotsTest {

    @Test
    void shouldLetAMessagePastTheSlotsWaitUntilOneIsGivenBack() throws Exception {
        ProcessingSlots slots = new ProcessingSlots(2);
        slots.acquire();
        slots.acquire();
        assertThat(slots.getWaits()).isZero();

        CountDownLatch entered = new CountDownLatch(1);
        Thread third = new Thread(() -> {
            try {
                slots.acquire();
                entered.countDown();
                slots.release();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        third.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> slots.getWaiting() == 1);
        assertThat(entered.await(200, TimeUnit.MILLISECONDS)).as("entered while both slots were taken").isFalse();
        assertThat(slots.getWaits()).isEqualTo(1);

        slots.release();
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        third.join(5000);
        assertThat(slots.getWaiting()).isZero();
        slots.release();
        slots.acquire();
        slots.acquire();
        assertThat(slots.getWaits()).as("free slots are taken without waiting").isEqualTo(1);
    }

    @Test
    void shouldGiveAnExchangesSlotBackOnceWhetherTheRouteLeavesOrTheExchangeCompletes() throws Exception {
        ProcessingSlots slots = new ProcessingSlots(2);
        DefaultCamelContext camel = new DefaultCamelContext();

        Exchange accepted = new DefaultExchange(camel);
        slots.enter(accepted);
        assertThat(slots.available()).isEqualTo(1);
        slots.leave(accepted);
        slots.leave(accepted);
        complete(accepted);
        assertThat(slots.available()).as("left twice and completed: one slot given back").isEqualTo(2);

        Exchange refused = new DefaultExchange(camel);
        slots.enter(refused);
        assertThat(slots.available()).isEqualTo(1);
        complete(refused);
        assertThat(slots.available()).as("a NAK never reaches leave: its slot comes back on completion").isEqualTo(2);
        assertThat(slots.getWaits()).isZero();
    }

    private static void complete(Exchange exchange) {
        List<Synchronization> completions = exchange.getExchangeExtension().handoverCompletions();
        if (completions != null) {
            completions.forEach(s -> s.onComplete(exchange));
        }
    }

    @Test
    void shouldRefuseFewerThanOneSlot() {
        assertThatThrownBy(() -> new ProcessingSlots(0)).hasMessageContaining("vigil.processing.consumers");
    }
}
