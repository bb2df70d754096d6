package io.visionplatform.dataset.service;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins an upload's classes to a dataset's: names the dataset knows keep their ids, new names are appended. The
 * mapping turns the upload's class ids into the dataset's.
 */
record ClassMerge(List<String> classNames, int[] mapping) {

    static ClassMerge of(List<String> datasetClasses, List<String> uploadClasses) {
        List<String> merged = new ArrayList<>(datasetClasses);
        int[] mapping = new int[uploadClasses.size()];
        for (int id = 0; id < uploadClasses.size(); id++) {
            String name = uploadClasses.get(id);
            int known = merged.indexOf(name);
            if (known < 0) {
                merged.add(name);
                known = merged.size() - 1;
            }
            mapping[id] = known;
        }
        return new ClassMerge(List.copyOf(merged), mapping);
    }

    /** The row with its class id in the dataset's numbering; the rest of the row is untouched. */
    List<Double> remap(List<Double> row) {
        List<Double> mapped = new ArrayList<>(row);
        mapped.set(0, (double) mapping[(int) Math.round(row.get(0))]);
        return mapped;
    }
}
