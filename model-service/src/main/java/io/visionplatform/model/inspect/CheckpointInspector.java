package io.visionplatform.model.inspect;

import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;

import io.visionplatform.common.error.PlatformException;

/** Reads an Ultralytics {@code .pt} checkpoint's names, task, size and stride with vision-core's safe reader. */
@ApplicationScoped
public class CheckpointInspector {

    public InspectedModel inspect(Path file) {
        throw PlatformException.invalidField("file", ".pt checkpoints are not readable yet");
    }
}
