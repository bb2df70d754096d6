package io.visionplatform.dataset.ingest;

import java.util.List;

/**
 * What a scan of an upload found.
 *
 * @param format yolo-zip | coco-zip | classify-zip | ndjson | images
 * @param classNames the upload's classes, index = class id in its annotations
 * @param kptShape pose datasets' keypoint shape ({@code [17, 3]}); empty for other tasks or when not given
 * @param images the images to ingest, in upload order
 * @param problems files skipped, each with its reason
 */
public record ScanResult(String format, List<String> classNames, List<Integer> kptShape, List<ScannedImage> images,
        List<FileProblem> problems) {
}
