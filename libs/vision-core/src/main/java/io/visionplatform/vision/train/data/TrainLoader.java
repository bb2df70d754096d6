package io.visionplatform.vision.train.data;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.visionplatform.vision.image.BgrImage;

/**
 * The training batches of each epoch, augmented as Ultralytics does (see {@link TrainAugmenter}) and prefetched on
 * background threads. The sample order of an epoch is a shuffle seeded by {@code (seed, epoch)} and every image's
 * augmentation draws from a stream seeded by {@code (seed, epoch, position)}, so the batches are bit-for-bit the same
 * whatever the number of workers or their timing. Decoded, resized images are cached in memory (up to a byte budget)
 * from the first epoch on.
 * <p>
 * One epoch runs at a time: starting another, or {@link #close}, cancels the one in progress. Not for concurrent use by
 * several consumer threads, apart from {@link #close}, which may come from any thread and wakes a consumer waiting for
 * a batch with a {@link CancellationException}.
 */
public final class TrainLoader implements AutoCloseable {

    /** Batches a worker may run ahead of the consumer, beyond one per worker. */
    static final int PREFETCH_BATCHES = 2;
    private static final Cleaner ABANDONED = Cleaner.create();

    private final List<Sample> samples;
    private final int imgsz;
    private final int batchSize;
    private final long seed;
    private final int workers;
    private final ImageCache<BgrImage> images;
    private final TrainAugmenter augmenter;
    private BatchPrefetcher running;
    private boolean closed;

    /**
     * @param workers background threads building batches; 0 builds each batch on the consumer's thread
     */
    public TrainLoader(List<Sample> samples, AugmentConfig aug, int imgsz, int batchSize, long seed, int workers) {
        this(samples, aug, imgsz, batchSize, seed, workers, ImageCache.defaultBudget());
    }

    /** As above, with the byte budget of the in-memory image cache. */
    public TrainLoader(List<Sample> samples, AugmentConfig aug, int imgsz, int batchSize, long seed, int workers,
            long cacheBytes) {
        Objects.requireNonNull(aug, "aug");
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no training samples");
        }
        if (imgsz <= 0 || batchSize <= 0 || workers < 0) {
            throw new IllegalArgumentException("imgsz and batch size must be positive and workers not negative, got "
                    + imgsz + ", " + batchSize + ", " + workers);
        }
        this.samples = List.copyOf(samples);
        this.imgsz = imgsz;
        this.batchSize = batchSize;
        this.seed = seed;
        this.workers = workers;
        this.images = new ImageCache<>(file -> TrainAugmenter.loadResized(file, imgsz), img -> img.pixels().length,
                cacheBytes);
        this.augmenter = new TrainAugmenter(this.samples, images, aug, imgsz);
    }

    /** {@code ceil(samples / batchSize)}: the last, partial batch is kept. */
    public int batchesPerEpoch() {
        return (samples.size() + batchSize - 1) / batchSize;
    }

    /**
     * The batches of {@code epoch} (0-based). {@code mosaic} false turns mosaics off whatever the configured
     * probability, as Ultralytics does for the last {@code close_mosaic} epochs.
     */
    public synchronized Iterator<Batch> epoch(int epoch, boolean mosaic) {
        if (closed) {
            throw new IllegalStateException("the training loader is closed");
        }
        cancelRunning();
        int[] order = Seeds.permutation(samples.size(), Seeds.epochOrder(seed, epoch));
        BatchPrefetcher.Builder builder = (index, cancelled) -> build(epoch, order, mosaic, index, cancelled);
        if (workers == 0) {
            return new OnCallerThread(builder, batchesPerEpoch());
        }
        BatchPrefetcher prefetcher = new BatchPrefetcher(builder, batchesPerEpoch(), workers,
                workers + PREFETCH_BATCHES - 1, "train-loader-epoch" + epoch);
        running = prefetcher;
        Iterator<Batch> iterator = prefetcher.iterator();
        ABANDONED.register(iterator, prefetcher);
        return iterator;
    }

    private Batch build(int epoch, int[] order, boolean mosaic, int index, AtomicBoolean cancelled) {
        int from = index * batchSize;
        int to = Math.min(samples.size(), from + batchSize);
        List<LabeledImage> built = new ArrayList<>(to - from);
        List<Sample> sources = new ArrayList<>(to - from);
        for (int position = from; position < to; position++) {
            if (cancelled.get()) {
                throw new CancellationException("the training loader was closed");
            }
            SplittableRandom random = Seeds.sample(seed, epoch, position);
            built.add(augmenter.augment(order[position], mosaic, random));
            sources.add(samples.get(order[position]));
        }
        return BatchAssembler.assemble(built, sources, imgsz, imgsz);
    }

    /** Stops the background threads (waiting up to a second for them to end); the loader cannot be used again. */
    @Override
    public synchronized void close() {
        closed = true;
        BatchPrefetcher stopping = running;
        cancelRunning();
        if (stopping != null) {
            try {
                stopping.awaitWorkers(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void cancelRunning() {
        if (running != null) {
            running.cancel();
            running = null;
        }
    }

    /** Bytes of decoded images held in memory (for logging). */
    public long cachedBytes() {
        return images.usedBytes();
    }

    /** Workers = 0: each batch is built when asked for. */
    private static final class OnCallerThread implements Iterator<Batch> {
        private final BatchPrefetcher.Builder builder;
        private final int batchCount;
        private final AtomicBoolean never = new AtomicBoolean();
        private int next;

        OnCallerThread(BatchPrefetcher.Builder builder, int batchCount) {
            this.builder = builder;
            this.batchCount = batchCount;
        }

        @Override
        public boolean hasNext() {
            return next < batchCount;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return builder.build(next++, never);
        }
    }
}
