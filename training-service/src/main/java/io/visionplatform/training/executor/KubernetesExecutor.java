package io.visionplatform.training.executor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.training.TrainingRun;
import io.visionplatform.training.config.TrainingConfig;

/**
 * A Job per run (see {@link KubernetesJobs}). The client is looked up only when this executor is used, so the
 * service starts without a cluster. Cancelling needs nothing here: the trainer reads {@code cancelled: true} from its
 * next telemetry answer, stops, uploads its best checkpoint and exits; the Job then finishes. Blocking.
 */
@ApplicationScoped
public class KubernetesExecutor {

    private final Instance<KubernetesClient> client;
    private final TrainingConfig config;

    public KubernetesExecutor(Instance<KubernetesClient> client, TrainingConfig config) {
        this.client = client;
        this.config = config;
    }

    public void launch(TrainingRun run) {
        KubernetesClient kubernetes = client.get();
        String namespace = config.kubernetes()
                .namespace()
                .orElseGet(kubernetes::getNamespace);
        TrainingConfig.GpuType gpu = config.gpuTypes()
                .get(run.gpuType);
        if (gpu == null) {
            throw PlatformException.invalidField("gpuType", "unknown GPU type " + run.gpuType);
        }
        kubernetes.resource(KubernetesJobs.secret(run, namespace))
                .serverSideApply();
        kubernetes.resource(KubernetesJobs.job(run, namespace, config.services().gatewayUrl().toString(), gpu,
                config.kubernetes()))
                .serverSideApply();
    }

    /** Whether the run's Job is gone or has failed (its trainer can no longer report). */
    public boolean jobDead(TrainingRun run) {
        KubernetesClient kubernetes = client.get();
        String namespace = config.kubernetes()
                .namespace()
                .orElseGet(kubernetes::getNamespace);
        var job = kubernetes.batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withName(KubernetesJobs.name(run))
                .get();
        return job == null || (job.getStatus() != null && job.getStatus().getFailed() != null
                && job.getStatus().getFailed() > 0);
    }
}
