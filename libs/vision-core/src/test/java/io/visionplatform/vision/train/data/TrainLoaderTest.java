package io.visionplatform.vision.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.image.ImageDecoder;
import io.visionplatform.vision.image.Letterbox;

class TrainLoaderTest {

    @TempDir
    Path dir;

    private static List<Sample> fixtureTrain() throws IOException {
        return TrainingData.load(Fixtures.dir().resolve("dataset/data.yaml").toString(), null).train();
    }

    private static List<Batch> epoch(TrainLoader loader, int epoch, boolean mosaic) {
        List<Batch> batches = new ArrayList<>();
        loader.epoch(epoch, mosaic).forEachRemaining(batches::add);
        return batches;
    }

    @Test
    void batchesAreBitForBitReproducibleWhateverTheWorkers() throws IOException {
        List<Sample> samples = fixtureTrain();
        AugmentConfig aug = AugmentConfig.ultralyticsDefaults();
        try (TrainLoader a = new TrainLoader(samples, aug, 96, 8, 42, 2);
                TrainLoader b = new TrainLoader(samples, aug, 96, 8, 42, 2);
                TrainLoader inline = new TrainLoader(samples, aug, 96, 8, 42, 0)) {
            List<Batch> first = epoch(a, 3, true);
            List<Batch> second = epoch(b, 3, true);
            List<Batch> third = epoch(inline, 3, true);
            assertThat(first).hasSize(5);
            for (int i = 0; i < first.size(); i++) {
                assertSameBatch(first.get(i), second.get(i));
                assertSameBatch(first.get(i), third.get(i));
            }
            List<Batch> next = epoch(a, 4, true);
            assertThat(Arrays.equals(first.get(0).images(), next.get(0).images())).as("another epoch differs").isFalse();
            assertThat(first.get(0).samples()).isNotEqualTo(next.get(0).samples());
        }
    }

    private static void assertSameBatch(Batch x, Batch y) {
        assertThat(x.samples()).isEqualTo(y.samples());
        assertThat(Arrays.equals(x.images(), y.images())).as("images equal").isTrue();
        assertThat(Arrays.equals(x.targets(), y.targets())).as("targets equal").isTrue();
    }

    @Test
    void everySampleOnceAnEpochInShuffledOrderLastBatchPartial() throws IOException {
        List<Sample> samples = fixtureTrain();
        try (TrainLoader loader = new TrainLoader(samples, AugmentConfig.ultralyticsDefaults(), 64, 16, 1, 1)) {
            assertThat(loader.batchesPerEpoch()).isEqualTo(3);
            List<Batch> batches = epoch(loader, 0, false);
            assertThat(batches).extracting(Batch::size).containsExactly(16, 16, 8);
            List<Sample> seen = batches.stream().flatMap(b -> b.samples().stream()).toList();
            assertThat(seen).containsExactlyInAnyOrderElementsOf(samples).isNotEqualTo(samples);
            for (Batch batch : batches) {
                assertThat(batch.images()).hasSize(batch.size() * 3 * 64 * 64);
                for (int r = 0; r < batch.targetCount(); r++) {
                    assertThat(batch.targets()[r * 6]).isBetween(0f, batch.size() - 1f);
                }
            }
        }
    }

    /** With only a certain left-right flip, the training image is the letterboxed image mirrored, and so are its boxes. */
    @Test
    void leftRightFlipMirrorsImageAndBoxes() throws IOException {
        List<Sample> samples = List.of(SyntheticImages.write(dir.resolve("a.png"), 96, 64,
                List.of(new SyntheticImages.Rect(0, 10, 8, 40, 30), new SyntheticImages.Rect(2, 60, 30, 90, 60))));
        AugmentConfig flipOnly = new AugmentConfig(0, 0, 0, 0, 0, 0, 0, 0, 0, 1.0, 0);
        try (TrainLoader loader = new TrainLoader(samples, flipOnly, 96, 1, 0, 1)) {
            Batch flipped = loader.epoch(0, true).next();
            Batch plain = new ValLoader(samples, 96, 1).batches().next();
            int w = 96, h = 96;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        assertThat(flipped.images()[(c * h + y) * w + x])
                                .isEqualTo(plain.images()[(c * h + y) * w + (w - 1 - x)]);
                    }
                }
            }
            assertThat(flipped.targetCount()).isEqualTo(2);
            for (int r = 0; r < 2; r++) {
                float[] f = Arrays.copyOfRange(flipped.targets(), r * 6, r * 6 + 6);
                float[] p = Arrays.copyOfRange(plain.targets(), r * 6, r * 6 + 6);
                assertThat(f[1]).isEqualTo(p[1]);
                assertThat(f[2]).isCloseTo(1 - p[2], org.assertj.core.api.Assertions.within(1e-6f));
                assertThat(new float[] { f[3], f[4], f[5] }).containsExactly(p[3], p[4], p[5]);
            }
            // and the plain boxes sit where the rectangles were: (10..40) of 96 wide, rows (8..30) shifted by the pad 16
            assertThat(plain.targets()[2]).isCloseTo(25f / 96, org.assertj.core.api.Assertions.within(1e-6f));
            assertThat(plain.targets()[3]).isCloseTo((16 + 19f) / 96, org.assertj.core.api.Assertions.within(1e-6f));
        }
    }

    @Test
    void closingMidEpochStopsTheWorkersWithinASecond() throws Exception {
        List<Sample> samples = fixtureTrain();
        TrainLoader loader = new TrainLoader(samples, AugmentConfig.ultralyticsDefaults(), 192, 4, 5, 2);
        Iterator<Batch> batches = loader.epoch(0, true);
        batches.next();
        assertThat(loaderThreads()).isNotEmpty();
        long start = System.nanoTime();
        loader.close();
        while (!loaderThreads().isEmpty() && System.nanoTime() - start < 1_000_000_000L) {
            Thread.sleep(10);
        }
        assertThat(loaderThreads()).as("loader threads 1 s after close").isEmpty();
        assertThatThrownBy(batches::next).isInstanceOf(java.util.concurrent.CancellationException.class);
        assertThatThrownBy(() -> loader.epoch(1, true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void startingAnotherEpochCancelsTheAbandonedOne() throws Exception {
        try (TrainLoader loader = new TrainLoader(fixtureTrain(), AugmentConfig.ultralyticsDefaults(), 128, 2, 5, 2)) {
            loader.epoch(0, true).next();
            Iterator<Batch> second = loader.epoch(1, true);
            long start = System.nanoTime();
            while (loaderThreads("train-loader-epoch0").size() > 0 && System.nanoTime() - start < 1_000_000_000L) {
                Thread.sleep(10);
            }
            assertThat(loaderThreads("train-loader-epoch0")).isEmpty();
            assertThat(second.next().size()).isEqualTo(2);
        }
    }

    @Test
    void aWorkersFailureReachesTheConsumerNamingTheImage() throws IOException {
        List<Sample> samples = new ArrayList<>(SyntheticImages.dataset(dir, 5));
        Path missing = dir.resolve("gone.png");
        samples.add(new Sample(missing, new float[0]));
        try (TrainLoader loader = new TrainLoader(samples, AugmentConfig.ultralyticsDefaults(), 64, 2, 3, 2)) {
            assertThatThrownBy(() -> epoch(loader, 0, false)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(missing.toString());
        }
    }

    /** The trainer needs at least 60 augmented 192 px images per second from one worker thread. */
    @Test
    void throughputOfOneWorker() throws IOException {
        List<Sample> samples = fixtureTrain();
        try (TrainLoader loader = new TrainLoader(samples, AugmentConfig.ultralyticsDefaults(), 192, 16, 9, 1)) {
            for (int e = 0; e < 3; e++) {
                epoch(loader, e, true); // decodes and caches, and lets the JIT compile the pipeline
            }
            int images = 0;
            long start = System.nanoTime();
            for (int e = 3; e < 13; e++) {
                for (Batch b : epoch(loader, e, e % 2 == 1)) {
                    images += b.size();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double perSecond = images / seconds;
            System.out.printf("TrainLoader throughput: %.0f augmented 192 px images/s with 1 worker (%d images in %.2f s,"
                    + " mosaic in 5 of 10 epochs, %d KiB cached)%n", perSecond, images, seconds, loader.cachedBytes() / 1024);
            assertThat(perSecond).isGreaterThan(60);
        }
    }

    @Test
    void valLoaderLetterboxesLikeInferenceAndMapsBoxes() throws IOException {
        List<Sample> val = TrainingData.load(Fixtures.dir().resolve("dataset/data.yaml").toString(), null).val();
        ValLoader loader = new ValLoader(val, 192, 5);
        assertThat(loader.batchCount()).isEqualTo(4);
        int offset = 0;
        for (Iterator<Batch> it = loader.batches(); it.hasNext();) {
            Batch batch = it.next();
            int plane = 3 * 192 * 192;
            for (int i = 0; i < batch.size(); i++) {
                Sample sample = val.get(offset + i);
                assertThat(batch.samples().get(i)).isEqualTo(sample);
                var boxed = Letterbox.full(192, 192).apply(ImageDecoder.read(sample.image()));
                float[] expected = boxed.toTensor();
                assertThat(Arrays.equals(Arrays.copyOfRange(batch.images(), i * plane, (i + 1) * plane), expected))
                        .as("image %s", sample.image()).isTrue();
                var info = boxed.info();
                List<float[]> rows = rowsOf(batch, i);
                assertThat(rows).hasSize(sample.boxCount());
                for (int b = 0; b < sample.boxCount(); b++) {
                    float[] s = Arrays.copyOfRange(sample.boxes(), b * 5, b * 5 + 5);
                    float[] t = rows.get(b);
                    assertThat(t[1]).isEqualTo(s[0]);
                    assertThat(t[2]).isCloseTo((float) ((s[1] * info.originalWidth() * info.scale() + info.padLeft()) / 192),
                            org.assertj.core.api.Assertions.within(1e-5f));
                    assertThat(t[3]).isCloseTo((float) ((s[2] * info.originalHeight() * info.scale() + info.padTop()) / 192),
                            org.assertj.core.api.Assertions.within(1e-5f));
                    assertThat(t[4]).isCloseTo((float) (s[3] * info.originalWidth() * info.scale() / 192),
                            org.assertj.core.api.Assertions.within(1e-5f));
                    assertThat(t[5]).isCloseTo((float) (s[4] * info.originalHeight() * info.scale() / 192),
                            org.assertj.core.api.Assertions.within(1e-5f));
                }
            }
            offset += batch.size();
        }
        assertThat(offset).isEqualTo(16);
    }

    private static List<float[]> rowsOf(Batch batch, int image) {
        List<float[]> rows = new ArrayList<>();
        for (int r = 0; r < batch.targetCount(); r++) {
            if ((int) batch.targets()[r * 6] == image) {
                rows.add(Arrays.copyOfRange(batch.targets(), r * 6, r * 6 + 6));
            }
        }
        return rows;
    }

    /** Writes an augmented batch to target/augmented-batch to look at (and checks the files are there). */
    @Test
    void dumpsAnAugmentedBatchAsPngs() throws IOException {
        try (TrainLoader loader = new TrainLoader(fixtureTrain(), AugmentConfig.ultralyticsDefaults(), 192, 8, 1, 1)) {
            Path out = Path.of("target", "augmented-batch");
            List<Path> files = BatchPngs.write(loader.epoch(0, true).next(), out, "mosaic");
            files.addAll(BatchPngs.write(loader.epoch(1, false).next(), out, "letterbox"));
            assertThat(files).hasSize(16).allMatch(java.nio.file.Files::isRegularFile);
        }
    }

    private static List<Thread> loaderThreads() {
        return loaderThreads("train-loader");
    }

    private static List<Thread> loaderThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
                .toList();
    }
}
