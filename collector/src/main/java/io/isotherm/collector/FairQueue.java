package io.isotherm.collector;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The writers' queue, shared fairly between sites: one site's items may fill at most {@code perSite} of its
 * {@code capacity}, and items are taken from the sites in turn (one from each site that has any, round and round),
 * so a flooded site cannot keep another's batches waiting behind its own, nor fill the queue for everyone.
 * First in, first out within a site. One lock, like {@link java.util.concurrent.ArrayBlockingQueue}.
 */
final class FairQueue<T> {
    /** What became of an offered item. */
    enum Offer { QUEUED, FULL, SITE_FULL }

    private final int capacity;
    private final int perSite;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Map<Integer, ArrayDeque<T>> bySite = new HashMap<>();
    /** The sites with waiting items, each once, in the order they are served next. */
    private final ArrayDeque<Integer> turns = new ArrayDeque<>();
    private volatile int size;

    FairQueue(int capacity, int perSite) {
        if (capacity < 1 || perSite < 1) {
            throw new IllegalArgumentException("queue capacity and share per site must be at least 1");
        }
        this.capacity = capacity;
        this.perSite = Math.min(perSite, capacity);
    }

    Offer offer(int site, T item) {
        lock.lock();
        try {
            if (size >= capacity) {
                return Offer.FULL;
            }
            ArrayDeque<T> queue = bySite.get(site);
            if (queue == null) {
                queue = new ArrayDeque<>();
                bySite.put(site, queue);
                turns.addLast(site);
            } else if (queue.size() >= perSite) {
                return Offer.SITE_FULL;
            }
            queue.addLast(item);
            size++;
            notEmpty.signal();
            return Offer.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /** The next item in turn, waiting up to {@code timeout} for one; null if none came. */
    T poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (size == 0) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return next();
        } finally {
            lock.unlock();
        }
    }

    /** The next item in turn, or null at once if there is none. */
    T poll() {
        lock.lock();
        try {
            return size == 0 ? null : next();
        } finally {
            lock.unlock();
        }
    }

    private T next() {
        Integer site = turns.pollFirst();
        ArrayDeque<T> queue = bySite.get(site);
        T item = queue.pollFirst();
        size--;
        if (queue.isEmpty()) {
            bySite.remove(site);
        } else {
            turns.addLast(site); // its next item waits for every other site's turn
        }
        return item;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }
}
