package io.visionplatform.vision.train.data;

/**
 * The training augmentation hyperparameters, named and meant as Ultralytics' {@code hsv_h, hsv_s, hsv_v, degrees,
 * translate, scale, shear, perspective, flipud, fliplr, mosaic}.
 *
 * @param hsvH hue gain: the hue moves by up to {@code ±hsvH * 180} (OpenCV's 0..179 hue)
 * @param hsvS saturation gain: saturation is multiplied by {@code 1 ± hsvS}
 * @param hsvV value gain: value is multiplied by {@code 1 ± hsvV}
 * @param degrees rotation range in degrees, {@code ±degrees}
 * @param translate translation as a fraction of the output size, {@code ±translate}
 * @param scale zoom range, {@code 1 ± scale}
 * @param shear shear range in degrees, {@code ±shear}
 * @param perspective perspective coefficient range, {@code ±perspective} (0 keeps the warp affine)
 * @param flipUd probability of an up-down flip
 * @param flipLr probability of a left-right flip
 * @param mosaic probability of a 4-image mosaic (when the loader is asked for mosaics at all)
 */
public record AugmentConfig(double hsvH, double hsvS, double hsvV, double degrees, double translate, double scale,
        double shear, double perspective, double flipUd, double flipLr, double mosaic) {

    public AugmentConfig {
        requireRange("flipUd", flipUd, 0, 1);
        requireRange("flipLr", flipLr, 0, 1);
        requireRange("mosaic", mosaic, 0, 1);
        requireRange("translate", translate, 0, 1);
        requireRange("scale", scale, 0, 1);
        requireRange("hsvH", hsvH, 0, 1);
        requireRange("hsvS", hsvS, 0, 1);
        requireRange("hsvV", hsvV, 0, 1);
        requireRange("degrees", degrees, 0, 180);
        requireRange("shear", shear, 0, 180);
        requireRange("perspective", perspective, 0, 1);
    }

    /** Ultralytics 8.4's {@code default.yaml} values. */
    public static AugmentConfig ultralyticsDefaults() {
        return new AugmentConfig(0.015, 0.7, 0.4, 0.0, 0.1, 0.5, 0.0, 0.0, 0.0, 0.5, 1.0);
    }

    /** No augmentation at all: every image is only letterboxed (useful for tests and debugging). */
    public static AugmentConfig none() {
        return new AugmentConfig(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static void requireRange(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
