package io.visionplatform.model.inspect;

import java.util.List;

/**
 * What a model file says about itself.
 *
 * @param format pt | onnx | torchscript
 * @param extension the file extension to store it under, without dot
 */
public record InspectedModel(String format, String extension, String task, List<String> classNames, Integer imgsz,
        Integer stride, boolean end2end) {
}
