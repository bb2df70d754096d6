package io.visionplatform.model.inspect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.visionplatform.common.error.PlatformException;
import io.visionplatform.vision.pt.Checkpoint;
import io.visionplatform.vision.pt.CheckpointException;

/**
 * Reads an Ultralytics {@code .pt} checkpoint's names, task, size and stride with vision-core's pickle reader, which
 * rebuilds tensors and plain containers and refuses anything that would run code.
 */
@ApplicationScoped
public class CheckpointInspector {

    public InspectedModel inspect(Path file) {
        try {
            Checkpoint checkpoint = Checkpoint.read(file);
            List<Integer> imgsz = checkpoint.imgsz();
            return new InspectedModel("pt", "pt", checkpoint.task(), checkpoint.names(),
                    imgsz.isEmpty() ? null : imgsz.get(0), checkpoint.stride(), checkpoint.end2end());
        } catch (CheckpointException e) {
            throw PlatformException.invalidField("file", "not a readable Ultralytics checkpoint: " + e.getMessage());
        } catch (IOException e) {
            throw PlatformException.invalidField("file", "unreadable checkpoint: " + e.getMessage());
        }
    }
}
