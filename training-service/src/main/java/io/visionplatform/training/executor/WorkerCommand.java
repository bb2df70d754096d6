package io.visionplatform.training.executor;

import java.util.ArrayList;
import java.util.List;

import io.visionplatform.training.TrainingRun;

/**
 * The trainer's command lines: our worker's (ADR 0007) and, for the official Ultralytics image, {@code yolo train}.
 * Both report through the SDK telemetry path with {@code ULTRALYTICS_PLATFORM_URL} and the run's key.
 */
public final class WorkerCommand {

    private WorkerCommand() {
    }

    /** {@code java -Xmx.. -XX:ActiveProcessorCount=.. [opts] -cp CP MAIN <worker args>}. */
    public static List<String> java(String javaBin, String heap, int threads, List<String> jvmOptions, String classpath,
            String mainClass, List<String> workerArgs) {
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        command.add("-Xmx" + heap);
        command.add("-XX:ActiveProcessorCount=" + threads);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(workerArgs);
        return command;
    }

    /** TrainWorker's arguments for a managed run (ADR 0007). */
    public static List<String> workerArgs(TrainingRun run, String device, int threads, String workDir) {
        List<String> args = new ArrayList<>(List.of(
                "--model", run.modelSource,
                "--data", run.dataUrl,
                "--epochs", String.valueOf(run.epochs),
                "--imgsz", String.valueOf(run.imageSize),
                "--device", device,
                "--threads", String.valueOf(threads)));
        if (workDir != null) {
            args.add("--workdir");
            args.add(workDir);
        }
        args.add("--model-id");
        args.add(run.modelId);
        return args;
    }

    /**
     * {@code yolo train} of the official image: the dataset by its {@code ul://} address and the model by project and
     * name, so the SDK's training_started finds the waiting managed run.
     */
    public static List<String> yoloArgs(TrainingRun run, String device) {
        return List.of("yolo", "train",
                "model=" + run.modelSource,
                "data=" + run.datasetUri,
                "project=" + run.username + "/" + run.projectSlug,
                "name=" + run.modelSlug,
                "epochs=" + run.epochs,
                "imgsz=" + run.imageSize,
                "device=" + ("cuda".equals(device) ? "0" : "cpu"),
                "exist_ok=True");
    }

    /** {@code cpu} for the cpu type, {@code cuda} for any GPU type. */
    public static String device(String gpuType) {
        return gpuType == null || "cpu".equals(gpuType) ? "cpu" : "cuda";
    }
}
