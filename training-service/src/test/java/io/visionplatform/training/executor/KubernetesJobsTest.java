package io.visionplatform.training.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.visionplatform.training.TrainingRun;
import io.visionplatform.training.config.TrainingConfig;

class KubernetesJobsTest {

    private static final TrainingConfig.GpuType RTX_4090 = new TrainingConfig.GpuType() {
        @Override
        public long hourlyPriceMicroUsd() {
            return 690_000;
        }

        @Override
        public int gpuCount() {
            return 1;
        }

        @Override
        public Map<String, String> nodeSelector() {
            return Map.of("nvidia.com/gpu.product", "NVIDIA-GeForce-RTX-4090");
        }
    };

    private static final TrainingConfig.GpuType CPU = new TrainingConfig.GpuType() {
        @Override
        public long hourlyPriceMicroUsd() {
            return 50_000;
        }

        @Override
        public int gpuCount() {
            return 0;
        }

        @Override
        public Map<String, String> nodeSelector() {
            return Map.of();
        }
    };

    @Test
    void aGpuRunAsksForItsGpuAndNodeAndGetsItsKeyFromASecret() {
        TrainingRun run = run("rtx-4090");
        Job job = KubernetesJobs.job(run, "training", "http://gateway.platform:8080", RTX_4090, config("worker"));

        assertThat(job.getMetadata().getName()).isEqualTo("train-run-abc123");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("training");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(job.getSpec().getTemplate().getSpec().getNodeSelector())
                .containsEntry("nvidia.com/gpu.product", "NVIDIA-GeForce-RTX-4090");
        Container trainer = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(trainer.getImage()).isEqualTo("registry.local/train-worker:1");
        assertThat(trainer.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"))
                .containsEntry("memory", new Quantity("8Gi"));
        assertThat(trainer.getEnv()).extracting(EnvVar::getName)
                .containsExactly("ULTRALYTICS_PLATFORM_URL", "ULTRALYTICS_API_KEY");
        assertThat(trainer.getEnv().get(0).getValue()).isEqualTo("http://gateway.platform:8080");
        EnvVar key = trainer.getEnv().get(1);
        assertThat(key.getValue()).isNull();
        assertThat(key.getValueFrom().getSecretKeyRef().getName()).isEqualTo("train-run-abc123");
        assertThat(key.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("api-key");
        assertThat(trainer.getCommand()).containsSubsequence("io.visionplatform.vision.train.TrainWorker",
                "--model", "yolo11n.yaml", "--data", "https://store/datasets/d/v1.ndjson?sig=1", "--epochs", "3",
                "--imgsz", "160", "--device", "cuda");
        assertThat(trainer.getCommand()).containsSubsequence("--model-id", "model_m1");

        Secret secret = KubernetesJobs.secret(run, "training");
        assertThat(secret.getMetadata().getName()).isEqualTo("train-run-abc123");
        assertThat(secret.getStringData()).containsEntry("api-key", "ul_" + "a".repeat(40));
    }

    @Test
    void theOfficialImageRunsYoloTrainAgainstTheUlDataset() {
        Job job = KubernetesJobs.job(run("cpu"), "training", "http://gateway:8080", CPU, config("ultralytics"));
        Container trainer = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(trainer.getCommand()).containsExactly("yolo", "train", "model=yolo11n.yaml",
                "data=ul://alice/datasets/shapes", "project=alice/shapes-project", "name=my-model", "epochs=3",
                "imgsz=160", "device=cpu", "exist_ok=True");
        assertThat(trainer.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        assertThat(job.getSpec().getTemplate().getSpec().getNodeSelector()).isEmpty();
    }

    @Test
    void cpuQuantitiesBecomeWholeWorkerThreads() {
        assertThat(KubernetesJobs.wholeCpus("4")).isEqualTo(4);
        assertThat(KubernetesJobs.wholeCpus("1500m")).isEqualTo(1);
        assertThat(KubernetesJobs.wholeCpus("250m")).isEqualTo(1);
    }

    private static TrainingRun run(String gpuType) {
        TrainingRun run = new TrainingRun();
        run.id = "run_abc123";
        run.accountId = "account_a";
        run.username = "alice";
        run.modelId = "model_m1";
        run.modelSlug = "my-model";
        run.projectSlug = "shapes-project";
        run.gpuType = gpuType;
        run.epochs = 3;
        run.imageSize = 160;
        run.modelSource = "yolo11n.yaml";
        run.dataUrl = "https://store/datasets/d/v1.ndjson?sig=1";
        run.datasetUri = "ul://alice/datasets/shapes";
        run.runKeySecret = "ul_" + "a".repeat(40);
        run.queuedAt = Instant.now();
        return run;
    }

    private static TrainingConfig.Kubernetes config(String mode) {
        return new TrainingConfig.Kubernetes() {
            @Override
            public Optional<String> namespace() {
                return Optional.of("training");
            }

            @Override
            public String mode() {
                return mode;
            }

            @Override
            public String image() {
                return "registry.local/train-worker:1";
            }

            @Override
            public String memory() {
                return "8Gi";
            }

            @Override
            public String cpu() {
                return "4";
            }

            @Override
            public int ttlSecondsAfterFinished() {
                return 3600;
            }
        };
    }
}
