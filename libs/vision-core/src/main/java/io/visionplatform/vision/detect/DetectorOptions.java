package io.visionplatform.vision.detect;

/**
 * How an {@link OnnxDetector} session runs.
 *
 * @param intraOpThreads threads one inference may use; 0 leaves ONNX Runtime's default (one per physical core). Set it
 *        when several sessions or requests share the CPUs, so they do not oversubscribe them.
 */
public record DetectorOptions(int intraOpThreads) {

    public DetectorOptions {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0, got " + intraOpThreads);
        }
    }

    public static DetectorOptions defaults() {
        return new DetectorOptions(0);
    }
}
