package io.visionplatform.vision.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.image.ImageDecoder;

/**
 * The 64-image val split of the shapes4 dataset (test resource {@code metrics/shapes4-val}, produced by the fixtures'
 * {@code generate_shapes.py OUT --seed 7}), decoded once.
 */
final class Shapes4Val {

    record Image(String name, BgrImage bgr, List<GroundTruthBox> labels) {
    }

    static final int EXPECTED_IMAGES = 64;

    private static volatile List<Image> cache;

    private Shapes4Val() {
    }

    static Path dir() {
        URL url = Shapes4Val.class.getResource("/metrics/shapes4-val/images");
        if (url == null) {
            throw new IllegalStateException("test resource metrics/shapes4-val/images is missing");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Images sorted by file name (the order of Ultralytics' {@code im_files}). */
    static List<Image> images() {
        List<Image> images = cache;
        if (images == null) {
            images = load();
            cache = images;
        }
        return images;
    }

    private static List<Image> load() {
        Path dir = dir();
        List<Image> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("images"))) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".jpg")).sorted().toList()) {
                String name = p.getFileName().toString();
                BgrImage bgr = ImageDecoder.read(p);
                Path label = dir.resolve("labels").resolve(name.substring(0, name.length() - 4) + ".txt");
                out.add(new Image(name, bgr, GroundTruthBox.readYolo(label, bgr.width(), bgr.height())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.size() != EXPECTED_IMAGES) {
            throw new IllegalStateException("expected " + EXPECTED_IMAGES + " val images, found " + out.size());
        }
        return List.copyOf(out);
    }

    /**
     * The order Ultralytics' val loader visits the images with {@code rect=True}: {@code ar = h / w},
     * {@code irect = ar.argsort()} (numpy's default quicksort).
     */
    static List<Image> rectOrder(List<Image> images) {
        double[] ar = new double[images.size()];
        for (int i = 0; i < ar.length; i++) {
            ar[i] = (double) images.get(i).bgr().height() / images.get(i).bgr().width();
        }
        List<Image> out = new ArrayList<>();
        for (int i : NumpyOps.argsort(ar)) {
            out.add(images.get(i));
        }
        return out;
    }
}
