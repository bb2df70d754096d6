package io.visionplatform.dataset.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers one scan's accepted images and problems, keeps dataset file names unique, and turns the end of the scan
 * into a result or, with no usable image left, a rejection listing why.
 */
final class ScanCollector {

    /** Problems a rejection lists at most. */
    static final int MAX_LISTED_PROBLEMS = 100;

    private final List<ScannedImage> images = new ArrayList<>();
    private final List<FileProblem> problems = new ArrayList<>();
    /** Dataset file name → the upload path that claimed it first. */
    private final Map<String, String> claimedNames = new HashMap<>();

    void problem(String file, String reason) {
        problems.add(new FileProblem(file, reason));
    }

    /** Claims the dataset file name for the upload path, or records a duplicate problem and returns false. */
    boolean claimName(String fileName, String uploadPath) {
        String first = claimedNames.putIfAbsent(fileName, uploadPath);
        if (first == null) {
            return true;
        }
        problem(uploadPath, "duplicate image name " + fileName + (first.equals(uploadPath) ? ""
                : " (also " + first
                        + ")"));
        return false;
    }

    void add(ScannedImage image) {
        images.add(image);
    }

    ScanResult finish(String format, List<String> classNames, List<Integer> kptShape) {
        if (images.isEmpty()) {
            throw noUsableImages();
        }
        return new ScanResult(format, List.copyOf(classNames), List.copyOf(kptShape), List.copyOf(images),
                List.copyOf(problems));
    }

    private UploadRejectedException noUsableImages() {
        List<Map<String, Object>> listed = new ArrayList<>();
        for (FileProblem problem : problems.subList(0, Math.min(problems.size(), MAX_LISTED_PROBLEMS))) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", problem.file());
            entry.put("reason", problem.reason());
            listed.add(entry);
        }
        return new UploadRejectedException("the upload holds no usable images",
                Map.of("problems", List.copyOf(listed), "problemCount", problems.size()));
    }
}
