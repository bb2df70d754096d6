package io.visionplatform.vision.train.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

import io.visionplatform.vision.image.ImageDecodeException;

/**
 * Keeps prepared (decoded and resized) images in memory so epochs after the first do not decode again, up to a byte
 * budget. Once the budget is full further images are prepared on every use rather than evicting others: training
 * visits images in random order, where least-recently-used eviction would only churn. Safe for concurrent use; two
 * threads may prepare the same image at once, which costs time but not correctness (preparation is deterministic).
 *
 * @param <T> the prepared form of an image
 */
final class ImageCache<T> {

    /** Prepares one image from its file. */
    @FunctionalInterface
    interface Loader<T> {
        T load(Path file) throws IOException;
    }

    private final Loader<T> loader;
    private final ToLongFunction<T> sizeInBytes;
    private final long budgetBytes;
    private final ConcurrentHashMap<Path, T> images = new ConcurrentHashMap<>();
    private final AtomicLong usedBytes = new AtomicLong();

    ImageCache(Loader<T> loader, ToLongFunction<T> sizeInBytes, long budgetBytes) {
        this.loader = loader;
        this.sizeInBytes = sizeInBytes;
        this.budgetBytes = budgetBytes;
    }

    /** 1 GiB, or a quarter of the maximum heap when that is smaller. */
    static long defaultBudget() {
        return Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4);
    }

    /** The prepared image; it may be shared, so callers must not modify it. */
    T get(Path file) {
        T cached = images.get(file);
        if (cached != null) {
            return cached;
        }
        T image;
        try {
            image = loader.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + file + ": " + e.getMessage(), e);
        } catch (ImageDecodeException e) {
            throw new ImageDecodeException("cannot decode image " + file + ": " + e.getMessage(), e);
        }
        long bytes = sizeInBytes.applyAsLong(image);
        if (usedBytes.addAndGet(bytes) <= budgetBytes) {
            T raced = images.putIfAbsent(file, image);
            if (raced != null) {
                usedBytes.addAndGet(-bytes);
                return raced;
            }
        } else {
            usedBytes.addAndGet(-bytes);
        }
        return image;
    }

    long usedBytes() {
        return usedBytes.get();
    }

    int size() {
        return images.size();
    }
}
