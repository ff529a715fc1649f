package io.vigil.fhir;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;

/**
 * How many messages are read and turned into FHIR at once ({@code vigil.processing.consumers}), whichever thread
 * brings them: MLLP connections, which process their own messages, and the consumers of the observations queue.
 * Routes take a slot before that work and give it back after it, before the result is stored (a wait for the
 * journal's disk sync that takes no CPU). A message past the limit waits for a slot: under overload the MLLP ACKs
 * come later and monitors slow down, instead of fifty connection threads taking the CPU that the delivery consumer
 * needs, which would leave bundles waiting longer and longer for the EHR.
 */
@ManagedResource(objectName = "io.vigil:type=Processing", description = "Messages read and turned into FHIR at once")
public final class ProcessingSlots {

    private static final String HELD = "vigilProcessingSlot";

    private final Semaphore slots;
    private final int size;
    private final AtomicLong waits = new AtomicLong();

    public ProcessingSlots(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("vigil.processing.consumers must be at least 1, not " + size);
        }
        this.size = size;
        this.slots = new Semaphore(size, true);
    }

    /**
     * Route step: takes a slot for the exchange, waiting for one if all are taken. It is given back by
     * {@link #leave(Exchange)}, or when the exchange completes if the route never got there (a NAK, a failure).
     */
    public void enter(Exchange exchange) throws InterruptedException {
        acquire();
        AtomicBoolean held = new AtomicBoolean(true);
        exchange.setProperty(HELD, held);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                if (held.getAndSet(false)) {
                    slots.release();
                }
            }
        });
    }

    /** Route step: gives back the exchange's slot, if it still holds one. */
    public void leave(Exchange exchange) {
        AtomicBoolean held = exchange.getProperty(HELD, AtomicBoolean.class);
        if (held != null && held.getAndSet(false)) {
            slots.release();
        }
    }

    /** Takes a slot, waiting for one if all are taken; give it back with {@link #release()}. */
    void acquire() throws InterruptedException {
        if (!slots.tryAcquire()) {
            waits.incrementAndGet();
            slots.acquire();
        }
    }

    void release() {
        slots.release();
    }

    int available() {
        return slots.availablePermits();
    }

    @ManagedAttribute(description = "Messages read and processed at once at most (vigil.processing.consumers)")
    public int getSlots() {
        return size;
    }

    @ManagedAttribute(description = "Messages waiting for a processing slot now")
    public int getWaiting() {
        return slots.getQueueLength();
    }

    @ManagedAttribute(description = "Messages that had to wait for a processing slot since the start")
    public long getWaits() {
        return waits.get();
    }
}
