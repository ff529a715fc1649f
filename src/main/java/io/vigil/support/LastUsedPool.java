package io.vigil.support;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Objects kept for reuse (working memories, write buffers), handed out last given back, first taken: the object
 * taken is the one most recently in use, most likely still in the processor's caches. A thread that serves one
 * connection of many comes back to work only after the other connections' messages went through, so an object kept
 * per thread was cold by then, and fifty threads' objects crowded each other out of the caches; here the few that
 * are busy at once on two cores are reused over and over, whatever thread runs. Taken and given back without locks (a stack of links, a new link for
 * each object given back); at most {@code capacity} objects are kept, one more given back is handed to
 * {@code discard}.
 */
public final class LastUsedPool<T> {

    private record Link<T>(T item, Link<T> below, int depth) {
    }

    private final AtomicReference<Link<T>> top = new AtomicReference<>();
    private final int capacity;
    private final Consumer<? super T> discard;
    private volatile boolean closed;

    /**
     * @param capacity objects kept at most
     * @param discard  what becomes of an object not kept (one beyond the capacity, or given back after close)
     */
    public LastUsedPool(int capacity, Consumer<? super T> discard) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be 1 or more, not " + capacity);
        }
        this.capacity = capacity;
        this.discard = discard;
    }

    /** The object given back last, or null when none is kept. */
    public T take() {
        while (true) {
            Link<T> link = top.get();
            if (link == null) {
                return null;
            }
            // a link is never pushed twice, so one seen here cannot have come back below another (no ABA)
            if (top.compareAndSet(link, link.below())) {
                return link.item();
            }
        }
    }

    /** Keeps the object for the next {@link #take}, or discards it when the pool is full or closed. */
    public void giveBack(T item) {
        while (true) {
            if (closed) {
                discard.accept(item);
                return;
            }
            Link<T> link = top.get();
            int depth = link == null ? 1 : link.depth() + 1;
            if (depth > capacity) {
                discard.accept(item);
                return;
            }
            if (top.compareAndSet(link, new Link<>(item, link, depth))) {
                break;
            }
        }
        if (closed) {
            drain(); // closed while it was given back
        }
    }

    /** Discards what is kept; objects given back from now on are discarded too. */
    public void close() {
        closed = true;
        drain();
    }

    /** Objects kept now. */
    public int size() {
        Link<T> link = top.get();
        return link == null ? 0 : link.depth();
    }

    private void drain() {
        for (T item = take(); item != null; item = take()) {
            discard.accept(item);
        }
    }
}
