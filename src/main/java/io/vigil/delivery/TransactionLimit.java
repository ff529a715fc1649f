package io.vigil.delivery;

/**
 * How many bundles a delivery transaction takes at most. It starts at vigil.ehr.batch.max-bundles. Each time the EHR
 * runs out of time on a merged transaction, the limit drops to half that transaction's size. Each batch the EHR then
 * takes whole at more than half the limit raises it again: doubling it while it is below half the largest size that
 * ran out of time, then by a sixteenth of the configured most, up to it. A slow EHR so gets transactions it can answer
 * in time instead of the same large one on every retry, and an EHR that was away (where every request ran out of
 * time, whatever its size) gets large transactions back within a few batches.
 */
final class TransactionLimit {

    private final int most;
    private final int step;
    private int current;
    /** The largest transaction that ran out of time since the limit was last at its most. */
    private int tooLarge;

    TransactionLimit(int most) {
        this.most = Math.max(1, most);
        this.step = Math.max(1, this.most / 16);
        this.current = this.most;
    }

    synchronized int current() {
        return current;
    }

    int most() {
        return most;
    }

    /** The EHR ran out of time on a transaction of {@code size} bundles: returns the new limit. */
    synchronized int tooSlow(int size) {
        if (size > 1) { // one bundle: the EHR is away or hanging, its size is not the matter
            tooLarge = Math.max(tooLarge, size);
            current = Math.max(1, Math.min(current, size) / 2);
        }
        return current;
    }

    /** A batch of {@code size} bundles was taken whole by the EHR: returns the new limit. */
    synchronized int taken(int size) {
        if (2 * size > current && current < most) {
            current = Math.min(most, current < tooLarge / 2 ? Math.min(2 * current, tooLarge / 2) : current + step);
            if (current == most) {
                tooLarge = 0;
            }
        }
        return current;
    }
}
