package io.visionplatform.dataset.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A {@code classes.txt}: one class name per line, blank lines skipped, line order = class id. */
final class ClassesFile {

    private ClassesFile() {
    }

    static List<String> read(BufferedReader reader) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            String name = line.replace("\uFEFF", "").strip();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }
}
