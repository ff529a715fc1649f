package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionLimitTest {

    @Test
    void aTimedOutTransactionHalvesTheLimitAndTakenBatchesRaiseItBackByASixteenth() {
        TransactionLimit limit = new TransactionLimit(400);

        assertThat(limit.tooSlow(400)).isEqualTo(200);
        List<Integer> after = new ArrayList<>();
        while (limit.current() < 400) {
            after.add(limit.taken(limit.current()));
        }

        assertThat(after).containsExactly(225, 250, 275, 300, 325, 350, 375, 400);
    }

    @Test
    void anEhrThatWasAwayGetsLargeTransactionsBackWithinAFewBatches() {
        TransactionLimit limit = new TransactionLimit(400);
        // every attempt ran out of time while the EHR hung: the retried batch was split down to single bundles
        for (int size = 400; size > 1; size /= 2) {
            limit.tooSlow(size);
        }
        assertThat(limit.current()).isEqualTo(1);

        List<Integer> after = new ArrayList<>();
        while (limit.current() < 400) {
            after.add(limit.taken(limit.current()));
        }

        assertThat(after).containsExactly(2, 4, 8, 16, 32, 64, 128, 200, 225, 250, 275, 300, 325, 350, 375, 400);
    }

    @Test
    void aSingleBundleRunningOutOfTimeOrASmallBatchLeavesTheLimitAlone() {
        TransactionLimit limit = new TransactionLimit(400);
        assertThat(limit.tooSlow(1)).isEqualTo(400);
        limit.tooSlow(100);
        assertThat(limit.current()).isEqualTo(50);

        assertThat(limit.taken(20)).as("a batch of 20 says nothing about transactions of 50").isEqualTo(50);
        assertThat(limit.taken(30)).isEqualTo(75);
        assertThat(new TransactionLimit(1).tooSlow(1)).isEqualTo(1);
    }
}
