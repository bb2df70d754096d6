package io.visionplatform.vision.train.data;

import java.util.SplittableRandom;

/**
 * Derives the random streams of a training run from its seed, so that what a batch contains and how each image is
 * augmented depend only on (seed, epoch, position), never on which worker thread got there first.
 */
final class Seeds {

    private Seeds() {
    }

    /** The stream that shuffles the sample order of {@code epoch}. */
    static SplittableRandom epochOrder(long seed, int epoch) {
        return new SplittableRandom(seed * 1_000_003L + epoch);
    }

    /** The stream that augments the image at {@code position} of {@code epoch}'s order. */
    static SplittableRandom sample(long seed, int epoch, int position) {
        return new SplittableRandom(mix(mix(mix(seed) ^ epoch) ^ position));
    }

    /** SplitMix64's finaliser: neighbouring inputs give unrelated outputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A Fisher-Yates shuffle of {@code 0..n-1}. */
    static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
