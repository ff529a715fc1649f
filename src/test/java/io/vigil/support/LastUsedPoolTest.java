package io.vigil.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LastUsedPoolTest {

    @Test
    void shouldHandOutTheObjectGivenBackLast() {
        LastUsedPool<String> pool = new LastUsedPool<>(4, item -> { });

        assertThat(pool.take()).isNull();
        pool.giveBack("a");
        pool.giveBack("b");
        pool.giveBack("c");

        assertThat(pool.size()).isEqualTo(3);
        assertThat(pool.take()).isEqualTo("c");
        pool.giveBack("d");
        assertThat(pool.take()).isEqualTo("d");
        assertThat(pool.take()).isEqualTo("b");
        assertThat(pool.take()).isEqualTo("a");
        assertThat(pool.take()).isNull();
        assertThat(pool.size()).isZero();
    }

    @Test
    void shouldDiscardWhatIsGivenBackBeyondItsCapacity() {
        List<String> discarded = new ArrayList<>();
        LastUsedPool<String> pool = new LastUsedPool<>(2, discarded::add);

        pool.giveBack("a");
        pool.giveBack("b");
        pool.giveBack("c");

        assertThat(discarded).containsExactly("c");
        assertThat(pool.size()).isEqualTo(2);
        assertThat(pool.take()).isEqualTo("b");
        pool.giveBack("d");
        assertThat(discarded).containsExactly("c");
        assertThat(pool.size()).isEqualTo(2);
    }

    @Test
    void closeShouldDiscardWhatIsKeptAndWhatComesBackAfter() {
        List<String> discarded = new ArrayList<>();
        LastUsedPool<String> pool = new LastUsedPool<>(4, discarded::add);
        pool.giveBack("a");
        pool.giveBack("b");

        pool.close();
        pool.giveBack("c");

        assertThat(discarded).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(pool.take()).isNull();
    }

    @Test
    void shouldRefuseACapacityBelowOne() {
        assertThatThrownBy(() -> new LastUsedPool<String>(0, item -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
    }

    /** Eight threads take and give back 20,000 times each: no object is ever held by two at once, none is lost. */
    @Test
    void objectsShouldNeverBeHandedToTwoThreadsAtOnce() throws Exception {
        Set<Object> discarded = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        LastUsedPool<Object> pool = new LastUsedPool<>(4, discarded::add);
        Set<Object> inUse = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        Set<Object> made = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        AtomicBoolean twice = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        Object item = pool.take();
                        if (item == null) {
                            item = new Object();
                            made.add(item);
                        }
                        if (!inUse.add(item)) {
                            twice.set(true);
                        }
                        Thread.onSpinWait();
                        inUse.remove(item);
                        pool.giveBack(item);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(twice).isFalse();
        assertThat(made).hasSizeGreaterThanOrEqualTo(1);
        List<Object> kept = new ArrayList<>();
        for (Object item = pool.take(); item != null; item = pool.take()) {
            kept.add(item);
        }
        // every object made is either kept or was discarded beyond the capacity: none lost, none duplicated
        assertThat(kept).hasSizeLessThanOrEqualTo(4).doesNotHaveDuplicates();
        assertThat(kept.size() + discarded.size()).isEqualTo(made.size());
    }
}
