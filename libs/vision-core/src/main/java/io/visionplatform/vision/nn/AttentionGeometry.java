package io.visionplatform.vision.nn;

import io.visionplatform.vision.detect.ModelLoadException;

/**
 * The shape arithmetic of Ultralytics' {@code Attention(dim, num_heads, attn_ratio)}, shared by the DJL block and the
 * ONNX export: per head {@code keyDim} queries, {@code keyDim} keys and {@code headDim} values from one 1x1 Conv of
 * {@link #qkvChannels()} outputs, scores scaled by {@code keyDim^-0.5}.
 */
public record AttentionGeometry(int dim, int heads, int headDim, int keyDim, float scale) {

    /** The geometry of the attention at {@code prefix} over {@code dim} channels. */
    public static AttentionGeometry of(String prefix, int dim, int heads, double attnRatio) {
        if (heads < 1 || dim % heads != 0) {
            throw new ModelLoadException(prefix + ": " + dim + " channels cannot be split into " + heads + " heads");
        }
        int headDim = dim / heads;
        int keyDim = (int) (headDim * attnRatio);
        return new AttentionGeometry(dim, heads, headDim, keyDim, (float) Math.pow(keyDim, -0.5));
    }

    /** Output channels of the qkv Conv: {@code dim + 2 * keyDim * heads}. */
    public int qkvChannels() {
        return dim + 2 * keyDim * heads;
    }
}
