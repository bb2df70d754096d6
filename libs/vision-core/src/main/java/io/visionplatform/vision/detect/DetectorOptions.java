package io.visionplatform.vision.detect;

/**
 * How a detector runs.
 *
 * @param intraOpThreads threads one inference may use; 0 leaves the runtime's default (one per physical core). Set it
 *        when several sessions or requests share the CPUs, so they do not oversubscribe them. For an
 *        {@link OnnxDetector} it applies to that session only. For a {@link TorchScriptDetector} it is libtorch's
 *        <em>process-wide</em> intra-op thread count ({@code at::set_num_threads}, what DJL's
 *        {@code ai.djl.pytorch.num_threads} sets at engine start): the last load with a non-zero value sets it for
 *        every TorchScript model in the JVM.
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
