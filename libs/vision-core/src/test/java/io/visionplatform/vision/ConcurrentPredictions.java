package io.visionplatform.vision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import io.visionplatform.vision.detect.Detection;
import io.visionplatform.vision.image.BgrImage;

/** Checks that a detector shared between threads answers exactly as it does when called one call at a time. */
public final class ConcurrentPredictions {

    private ConcurrentPredictions() {
    }

    /** Predicts every image sequentially, then {@code rounds} times over from {@code threads} threads, and compares. */
    public static void assertSameAsSequential(Function<BgrImage, List<Detection>> predict, List<BgrImage> images,
            int threads, int rounds) throws Exception {
        List<List<Detection>> sequential = new ArrayList<>();
        for (BgrImage image : images) {
            sequential.add(predict.apply(image));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Detection>>> futures = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (BgrImage image : images) {
                    futures.add(pool.submit(() -> predict.apply(image)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).isEqualTo(sequential.get(i % images.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
