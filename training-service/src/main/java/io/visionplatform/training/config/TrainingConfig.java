package io.visionplatform.training.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Training runs: where the other services are, the GPU catalogue, and the two executors. */
@ConfigMapping(prefix = "platform.training")
public interface TrainingConfig {

    /** {@code local} (a child JVM per run on this machine) or {@code kubernetes} (a Job per run). */
    @WithDefault("local")
    String executor();

    Services services();

    /**
     * The GPU types a run may ask for, by name ({@code cpu}, {@code rtx-4090}, …): the hourly price billing charges
     * and what the kubernetes executor asks the cluster for.
     */
    Map<String, GpuType> gpuTypes();

    /** How long a run-scoped API key stays valid at most; it is revoked as soon as its run is over. */
    @WithDefault("P7D")
    Duration runKeyTtl();

    Local local();

    Kubernetes kubernetes();

    interface Services {

        /**
         * The gateway as trainers reach it: their {@code ULTRALYTICS_PLATFORM_URL}, and where run keys are issued.
         */
        URI gatewayUrl();

        URI modelsUrl();

        URI datasetsUrl();

        /** How long one call to another service may take (a first export of a large dataset renders its NDJSON). */
        @WithDefault("60s")
        Duration timeout();
    }

    interface GpuType {

        /** Price of one hour of this machine, in micro-USD (1,000,000 = $1.00). */
        long hourlyPriceMicroUsd();

        /** GPUs a Job asks for ({@code nvidia.com/gpu}); 0 for CPU. */
        @WithDefault("0")
        int gpuCount();

        /** Node labels a Job of this type must run on (e.g. {@code nvidia.com/gpu.product=NVIDIA-GeForce-RTX-4090}). */
        Map<String, String> nodeSelector();
    }

    interface Local {

        /** Runs trained at once on this machine; the others wait in the queue. */
        @WithDefault("1")
        int maxConcurrent();

        /** {@code -Xmx} of each worker JVM. */
        @WithDefault("2g")
        String heap();

        /** CPU threads of each worker ({@code -XX:ActiveProcessorCount} and {@code --threads}). */
        @WithDefault("2")
        int threads();

        /**
         * Where each run gets its working folder ({@code
         *
        <dir>
         * /<runId>}).
         */
        @WithDefault("${java.io.tmpdir}/platform-training")
        Path workDir();

        /**
         * The worker's classpath. Empty: built from this service's own jars (Quarkus fast-jar {@code lib/boot} +
         * {@code lib/main}, or {@code java.class.path} in tests and dev).
         */
        Optional<String> classpath();

        /** The {@code java} binary; empty: the one running this service. */
        Optional<String> javaBin();

        /** The worker's main class. */
        @WithDefault("io.visionplatform.vision.train.TrainWorker")
        String mainClass();

        /** Extra JVM options of the worker (e.g. {@code -Dai.djl.offline=true}). */
        @WithDefault("-Dai.djl.offline=true")
        List<String> jvmOptions();
    }

    interface Kubernetes {

        /** Namespace of the Jobs and their Secrets; empty: the client's current namespace. */
        Optional<String> namespace();

        /** {@code worker}: our image running TrainWorker; {@code ultralytics}: the official image running yolo train. */
        @WithDefault("worker")
        String mode();

        /** The image of the Job's container. */
        @WithDefault("visionplatform/train-worker:latest")
        String image();

        /** Memory of the container (request and limit). */
        @WithDefault("8Gi")
        String memory();

        /** CPUs of the container (request and limit). */
        @WithDefault("4")
        String cpu();

        /** Seconds a finished Job is kept before the cluster deletes it. */
        @WithDefault("3600")
        int ttlSecondsAfterFinished();
    }
}
