package io.visionplatform.dataset.ingest;

import java.util.Arrays;

/** The Ultralytics tasks a dataset can hold, with the NDJSON key its annotations travel under. */
public enum DatasetTask {
    DETECT("detect", "boxes"),
    SEGMENT("segment", "segments"),
    POSE("pose", "pose"),
    OBB("obb", "obb"),
    CLASSIFY("classify", "classification");

    private final String wireName;
    private final String annotationKey;

    DatasetTask(String wireName, String annotationKey) {
        this.wireName = wireName;
        this.annotationKey = annotationKey;
    }

    /** The task's name in the API and in NDJSON ({@code detect}, {@code segment}, ...). */
    public String wireName() {
        return wireName;
    }

    /** The key of an NDJSON image record's {@code annotations} object that carries this task's rows. */
    public String annotationKey() {
        return annotationKey;
    }

    public static DatasetTask of(String wireName) {
        return Arrays.stream(values())
                .filter(task -> task.wireName.equals(wireName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown task " + wireName));
    }
}
