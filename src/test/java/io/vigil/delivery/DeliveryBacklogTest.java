package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.vigil.broker.QueueDepths;
import io.vigil.config.VigilProperties;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeliveryBacklogTest {

    private final AtomicLong waiting = new AtomicLong();
    private final AtomicBoolean applianceIsTheReason = new AtomicBoolean(true);

    private DeliveryBacklog backlog(long limit) {
        QueueDepths depths = mock(QueueDepths.class);
        when(depths.of("vigil.delivery.ehr")).thenAnswer(i -> waiting.get());
        EhrDelivery delivery = mock(EhrDelivery.class);
        when(delivery.workingWithoutWaitingForTheEhr(anyLong())).thenAnswer(i -> applianceIsTheReason.get());
        VigilProperties properties = mock(VigilProperties.class);
        when(properties.queue()).thenReturn(Map.of("delivery", "vigil.delivery.ehr"));
        return new DeliveryBacklog(depths, delivery, properties, limit);
    }

    @Test
    void shouldHoldProcessingBackWhileMoreBundlesThanTheLimitWaitBecauseOfTheAppliance() throws Exception {
        DeliveryBacklog backlog = backlog(100);
        waiting.set(100);
        backlog.awaitRoom();
        assertThat(backlog.getWaits()).as("at the limit: no wait").isZero();

        waiting.set(5000);
        Thread.sleep(20); // past the 10 ms between checks
        AtomicBoolean through = new AtomicBoolean();
        Thread sender = new Thread(() -> {
            try {
                backlog.awaitRoom();
                through.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();
        await().atMost(Duration.ofSeconds(5)).until(backlog::isHoldingBack);
        Thread.sleep(200);
        assertThat(through).as("let through while 5,000 wait").isFalse();
        assertThat(backlog.getWaits()).isEqualTo(1);

        waiting.set(40);
        await().atMost(Duration.ofSeconds(5)).untilTrue(through);
        assertThat(backlog.isHoldingBack()).isFalse();
    }

    @Test
    void shouldNeverHoldBackWhenTheEhrIsWhyBundlesWait() throws Exception {
        DeliveryBacklog backlog = backlog(100);
        applianceIsTheReason.set(false);
        waiting.set(50_000);
        for (int i = 0; i < 5; i++) {
            backlog.awaitRoom();
            Thread.sleep(11);
        }
        assertThat(backlog.getWaits()).isZero();
    }

    @Test
    void shouldNeverHoldBackWithoutALimit() throws Exception {
        DeliveryBacklog backlog = backlog(0);
        waiting.set(50_000);
        backlog.awaitRoom();
        assertThat(backlog.getWaits()).isZero();
    }
}
