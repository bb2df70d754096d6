package io.visionplatform.vision.train.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.image.BilinearResize;
import io.visionplatform.vision.image.ImageDecoder;
import io.visionplatform.vision.image.Letterbox;
import io.visionplatform.vision.image.LetterboxInfo;
import io.visionplatform.vision.image.LetterboxedImage;

/**
 * Ultralytics' training transform for one sample ({@code v8_transforms}, detection, no mixup/copy-paste/cutmix):
 * mosaic (with probability {@code mosaic}) or letterbox, then random perspective, HSV jitter, up-down and left-right
 * flips. The result is an {@code imgsz x imgsz} BGR image and its boxes in pixels. Stateless apart from the shared image
 * cache, so any thread may call it.
 */
final class TrainAugmenter {

    private final List<Sample> samples;
    private final ImageCache<BgrImage> images;
    private final AugmentConfig aug;
    private final int imgsz;
    private final Letterbox letterbox;

    TrainAugmenter(List<Sample> samples, ImageCache<BgrImage> images, AugmentConfig aug, int imgsz) {
        this.samples = samples;
        this.images = images;
        this.aug = aug;
        this.imgsz = imgsz;
        this.letterbox = Letterbox.full(imgsz, imgsz);
    }

    /**
     * Ultralytics' {@code load_image}: decode, then resize (bilinear) so the long side is {@code imgsz}, the other
     * side {@code min(ceil(side * r), imgsz)}.
     */
    static BgrImage loadResized(Path file, int imgsz) throws IOException {
        BgrImage image = ImageDecoder.read(file);
        int w0 = image.width();
        int h0 = image.height();
        double r = (double) imgsz / Math.max(w0, h0);
        if (r == 1) {
            return image;
        }
        int w = Math.min((int) Math.ceil(w0 * r), imgsz);
        int h = Math.min((int) Math.ceil(h0 * r), imgsz);
        return BilinearResize.resize(image, Math.max(w, 1), Math.max(h, 1));
    }

    LabeledImage augment(int sampleIndex, boolean mosaicAllowed, SplittableRandom random) {
        LabeledImage out;
        if (mosaicAllowed && random.nextDouble() < aug.mosaic()) {
            int border = Math.floorDiv(-imgsz, 2);
            out = RandomPerspective.apply(mosaic(sampleIndex, random), border, aug, random);
        } else {
            out = RandomPerspective.apply(letterboxed(sampleIndex), 0, aug, random);
        }
        HsvJitter.apply(out.image().pixels(), aug, random);
        if (random.nextDouble() < aug.flipUd()) {
            out = Flip.upDown(out);
        }
        if (random.nextDouble() < aug.flipLr()) {
            out = Flip.leftRight(out);
        }
        return out;
    }

    private LabeledImage mosaic(int sampleIndex, SplittableRandom random) {
        // Ultralytics draws the three partners from a buffer of recently loaded images; with every image cached in
        // memory that buffer is the whole dataset, so the partners come from all of it.
        LabeledImage[] tiles = new LabeledImage[4];
        tiles[0] = resized(sampleIndex);
        for (int i = 1; i < 4; i++) {
            tiles[i] = resized(random.nextInt(samples.size()));
        }
        int border = Math.floorDiv(-imgsz, 2);
        int yc = (int) RandomPerspective.uniform(random, -border, 2 * imgsz + border);
        int xc = (int) RandomPerspective.uniform(random, -border, 2 * imgsz + border);
        return Mosaic.combine(tiles, imgsz, xc, yc);
    }

    private LabeledImage resized(int sampleIndex) {
        Sample sample = samples.get(sampleIndex);
        BgrImage image = images.get(sample.image());
        return LabeledImage.of(image, sample, image.width(), image.height(), 0, 0);
    }

    private LabeledImage letterboxed(int sampleIndex) {
        Sample sample = samples.get(sampleIndex);
        BgrImage image = images.get(sample.image());
        LetterboxedImage boxed = letterbox.apply(image);
        LetterboxInfo info = boxed.info();
        // The pixel buffer must be this call's own (HSV jitters in place): Letterbox always pads into a new array.
        return LabeledImage.of(boxed.image(), sample, (float) (image.width() * info.scale()),
                (float) (image.height() * info.scale()), info.padLeft(), info.padTop());
    }
}
