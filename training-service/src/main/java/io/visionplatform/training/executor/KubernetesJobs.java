package io.visionplatform.training.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.visionplatform.training.TrainingRun;
import io.visionplatform.training.config.TrainingConfig;

/**
 * What the kubernetes executor creates for a run: a Secret holding the run's API key and a Job whose one container
 * trains — our worker image running TrainWorker, or the official Ultralytics image running {@code yolo train} — with
 * {@code ULTRALYTICS_PLATFORM_URL} pointing at the gateway. GPU types map to {@code nvidia.com/gpu} limits and a node
 * selector. Pure: no cluster needed to build (or test) them.
 */
public final class KubernetesJobs {

    static final String API_KEY = "api-key";
    static final String GPU_RESOURCE = "nvidia.com/gpu";

    private KubernetesJobs() {
    }

    public static String name(TrainingRun run) {
        return "train-" + run.id.replace('_', '-').toLowerCase();
    }

    public static Secret secret(TrainingRun run, String namespace) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name(run))
                .withNamespace(namespace)
                .withLabels(labels(run))
                .endMetadata()
                .withType("Opaque")
                .withStringData(Map.of(API_KEY, run.runKeySecret))
                .build();
    }

    public static Job job(TrainingRun run, String namespace, String gatewayUrl, TrainingConfig.GpuType gpu,
            TrainingConfig.Kubernetes config) {
        String device = WorkerCommand.device(run.gpuType);
        boolean ultralytics = "ultralytics".equals(config.mode());
        List<String> command = ultralytics ? WorkerCommand.yoloArgs(run, device)
                : javaInImage(run, device, config);
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("ULTRALYTICS_PLATFORM_URL", gatewayUrl, null));
        env.add(new EnvVarBuilder().withName("ULTRALYTICS_API_KEY")
                .withNewValueFrom()
                .withNewSecretKeyRef(API_KEY, name(run), false)
                .endValueFrom()
                .build());
        ResourceRequirementsBuilder resources = new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(config.cpu()))
                .addToRequests("memory", new Quantity(config.memory()))
                .addToLimits("cpu", new Quantity(config.cpu()))
                .addToLimits("memory", new Quantity(config.memory()));
        if (gpu.gpuCount() > 0) {
            resources.addToLimits(GPU_RESOURCE, new Quantity(String.valueOf(gpu.gpuCount())));
        }
        return new JobBuilder()
                .withNewMetadata()
                .withName(name(run))
                .withNamespace(namespace)
                .withLabels(labels(run))
                .endMetadata()
                .withNewSpec()
                // A failed trainer reports training_failed; retrying would start the run over under the same key.
                .withBackoffLimit(0)
                .withTtlSecondsAfterFinished(config.ttlSecondsAfterFinished())
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels(run))
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withNodeSelector(gpu.nodeSelector())
                .addNewContainer()
                .withName("trainer")
                .withImage(config.image())
                .withCommand(command)
                .withEnv(env)
                .withResources(resources.build())
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static List<String> javaInImage(TrainingRun run, String device, TrainingConfig.Kubernetes config) {
        List<String> command = new ArrayList<>(List.of("java", "-XX:MaxRAMPercentage=75",
                "-Dai.djl.offline=true", "-cp", "/app/lib/*", "io.visionplatform.vision.train.TrainWorker"));
        command.addAll(WorkerCommand.workerArgs(run, device, wholeCpus(config.cpu()), "/tmp/run"));
        return command;
    }

    /** The worker's threads for a CPU quantity: {@code 4} → 4, {@code 1500m} → 1, at least 1. */
    static int wholeCpus(String cpu) {
        double cores = new Quantity(cpu).getNumericalAmount().doubleValue();
        return Math.max(1, (int) Math.floor(cores));
    }

    private static Map<String, String> labels(TrainingRun run) {
        return Map.of(
                "app.kubernetes.io/name", "training-run",
                "app.kubernetes.io/managed-by", "training-service",
                "visionplatform.io/run", run.id.replace('_', '-'),
                "visionplatform.io/gpu-type", run.gpuType == null ? "cpu" : run.gpuType);
    }
}
