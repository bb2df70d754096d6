package io.visionplatform.vision.train.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import io.visionplatform.vision.image.ImageDecoder;
import io.visionplatform.vision.image.Letterbox;
import io.visionplatform.vision.image.LetterboxInfo;
import io.visionplatform.vision.image.LetterboxedImage;

/**
 * Validation batches: each image letterboxed to {@code imgsz x imgsz} exactly as {@link Letterbox#full} does for
 * inference (centred, grey 114 padding), no augmentation, in file order. Targets are normalised to the letterboxed
 * input, so predictions and ground truth can be compared in input pixels. Letterboxed images are cached in memory (up
 * to a byte budget), since validation revisits the same images every epoch. Iteration happens on the caller's thread.
 */
public final class ValLoader {

    private final List<Sample> samples;
    private final int imgsz;
    private final int batchSize;
    private final ImageCache<LetterboxedImage> images;

    public ValLoader(List<Sample> samples, int imgsz, int batchSize) {
        this(samples, imgsz, batchSize, ImageCache.defaultBudget());
    }

    /** As above, with the byte budget of the in-memory image cache. */
    public ValLoader(List<Sample> samples, int imgsz, int batchSize, long cacheBytes) {
        if (imgsz <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("imgsz and batch size must be positive, got " + imgsz + ", " + batchSize);
        }
        this.samples = List.copyOf(samples);
        this.imgsz = imgsz;
        this.batchSize = batchSize;
        Letterbox letterbox = Letterbox.full(imgsz, imgsz);
        this.images = new ImageCache<>(file -> letterbox.apply(ImageDecoder.read(file)),
                boxed -> boxed.image().pixels().length, cacheBytes);
    }

    public int batchCount() {
        return (samples.size() + batchSize - 1) / batchSize;
    }

    public Iterator<Batch> batches() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < batchCount();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return build(next++);
            }
        };
    }

    private Batch build(int index) {
        int from = index * batchSize;
        int to = Math.min(samples.size(), from + batchSize);
        List<LabeledImage> built = new ArrayList<>(to - from);
        for (Sample sample : samples.subList(from, to)) {
            LetterboxedImage boxed = images.get(sample.image());
            LetterboxInfo info = boxed.info();
            built.add(LabeledImage.of(boxed.image(), sample, (float) (info.originalWidth() * info.scale()),
                    (float) (info.originalHeight() * info.scale()), info.padLeft(), info.padTop()));
        }
        return BatchAssembler.assemble(built, samples.subList(from, to), imgsz, imgsz);
    }
}
