package io.visionplatform.vision.train.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Builds the batches of one epoch on background threads and hands them out in order. Workers claim batch numbers in
 * sequence and may run at most {@code ahead} batches in front of the consumer (built or being built), which bounds the
 * memory held. A worker's exception reaches the consumer at that batch; {@link #cancel} (closing the loader, starting
 * another epoch, or the iterator being garbage collected) stops the workers within about one image's work.
 */
final class BatchPrefetcher implements Runnable {

    /** Builds batch {@code index}; should check {@code cancelled} between images and give up once it is set. */
    @FunctionalInterface
    interface Builder {
        Batch build(int index, AtomicBoolean cancelled);
    }

    private final Builder builder;
    private final int batchCount;
    private final Semaphore ahead;
    private final AtomicReferenceArray<CompletableFuture<Batch>> results;
    private final AtomicInteger nextToBuild = new AtomicInteger();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    BatchPrefetcher(Builder builder, int batchCount, int workers, int ahead, String threadName) {
        this.builder = builder;
        this.batchCount = batchCount;
        this.ahead = new Semaphore(Math.max(ahead, workers));
        this.results = new AtomicReferenceArray<>(batchCount);
        for (int i = 0; i < batchCount; i++) {
            results.set(i, new CompletableFuture<>());
        }
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(this::work, threadName + "-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    private void work() {
        while (!cancelled.get()) {
            try {
                ahead.acquire();
            } catch (InterruptedException e) {
                return;
            }
            int index = nextToBuild.getAndIncrement();
            if (index >= batchCount || cancelled.get()) {
                ahead.release();
                return;
            }
            try {
                results.get(index).complete(builder.build(index, cancelled));
            } catch (Throwable t) {
                results.get(index).completeExceptionally(t);
                if (!(t instanceof CancellationException)) {
                    nextToBuild.set(batchCount); // no new work after a failure; the consumer stops at this batch
                }
            }
        }
    }

    /** The consumer's view: one pass over the batches, in order. */
    Iterator<Batch> iterator() {
        return new Iterator<>() {
            private int next;
            private boolean failed;

            @Override
            public boolean hasNext() {
                return !failed && next < batchCount;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                if (cancelled.get()) {
                    failed = true;
                    throw new CancellationException("the training loader was closed");
                }
                CompletableFuture<Batch> result = results.get(next);
                try {
                    Batch batch = result.get();
                    results.set(next, null); // let the batch go once handed out
                    next++;
                    ahead.release();
                    return batch;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancel();
                    failed = true;
                    throw new CancellationException("interrupted while waiting for batch " + next);
                } catch (ExecutionException e) {
                    failed = true;
                    cancel();
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException("building batch " + next + " failed: " + cause, cause);
                }
            }
        };
    }

    /** Stops the workers and fails every batch not yet built, so a consumer waiting for one wakes up. */
    void cancel() {
        if (cancelled.getAndSet(true)) {
            return;
        }
        threads.forEach(Thread::interrupt);
        for (int i = 0; i < batchCount; i++) {
            CompletableFuture<Batch> result = results.get(i);
            if (result != null) {
                result.completeExceptionally(new CancellationException("the training loader was closed"));
            }
        }
    }

    /** The cleaning action when the iterator is garbage collected. */
    @Override
    public void run() {
        cancel();
    }

    /** Waits up to {@code timeoutMillis} for the worker threads to end; true when they all did. */
    boolean awaitWorkers(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Thread t : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left > 0) {
                t.join(left);
            }
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }
}
