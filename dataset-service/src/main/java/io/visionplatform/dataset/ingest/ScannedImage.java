package io.visionplatform.dataset.ingest;

import java.util.List;

/**
 * One image the scan accepted, before its bytes are read in full.
 *
 * @param file the image's file name in the dataset (base name, e.g. {@code img001.jpg})
 * @param split train | val | test
 * @param source where its bytes are
 * @param annotations Ultralytics rows for the task, class ids indexing {@link ScanResult#classNames()}: detect
 *        {@code [cls,cx,cy,w,h]}, segment {@code [cls,x1,y1,...]}, pose {@code [cls,cx,cy,w,h,x1,y1,v1,...]}, obb
 *        {@code [cls,x1,y1,...,x4,y4]}, classify {@code [cls]}; coordinates normalised to 0..1
 * @param width pixels read from the header; 0 when not known yet (remote images)
 * @param height pixels read from the header; 0 when not known yet
 */
public record ScannedImage(String file, String split, ImageSource source, List<List<Double>> annotations, int width,
        int height) {
}
