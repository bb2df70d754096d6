package io.visionplatform.model.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.visionplatform.common.error.ErrorCode;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.common.event.Topics;
import io.visionplatform.common.event.outbox.Outbox;
import io.visionplatform.common.storage.StorageClient;
import io.visionplatform.model.Model;
import io.visionplatform.model.ModelFile;
import io.visionplatform.model.config.ModelsConfig;
import io.visionplatform.model.repository.ModelFileRepository;
import io.visionplatform.model.repository.ModelRepository;
import io.visionplatform.model.rest.PredictResponse;
import io.visionplatform.model.rest.PredictionView;
import io.visionplatform.vision.detect.Detection;
import io.visionplatform.vision.detect.Detector;
import io.visionplatform.vision.detect.InferenceException;
import io.visionplatform.vision.detect.ModelLoadException;
import io.visionplatform.vision.detect.OnnxDetector;
import io.visionplatform.vision.detect.TorchScriptDetector;
import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.image.ImageDecodeException;
import io.visionplatform.vision.image.ImageDecoder;
import io.visionplatform.vision.nn.TorchNetworkDetector;

/**
 * Predict on a model's weights: the image is checked and decoded, the model loaded once and cached, and inference
 * runs on a bounded worker pool — when the pool and its queue are full the answer is 503 with Retry-After instead
 * of an ever-growing wait. Each prediction is metered with an {@code inference.used} event.
 */
@ApplicationScoped
public class PredictService {

    private final ModelRepository models;
    private final ModelFileRepository files;
    private final LoadedModels loaded;
    private final StorageClient storage;
    private final Outbox outbox;
    private final ModelsConfig.Predict config;
    private final Vertx vertx;
    private final ExecutorService inference;

    static {
        // PyTorch's natives come from the Maven jar, never the network; and parallelism comes from the predict pool,
        // so each forward pass keeps to one libtorch thread instead of oversubscribing the cores.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
    }

    public PredictService(ModelRepository models, ModelFileRepository files, LoadedModels loaded,
            StorageClient storage, Outbox outbox, ModelsConfig config, Vertx vertx) {
        this.models = models;
        this.files = files;
        this.loaded = loaded;
        this.storage = storage;
        this.outbox = outbox;
        this.config = config.predict();
        this.vertx = vertx;
        AtomicInteger threads = new AtomicInteger();
        this.inference = new ThreadPoolExecutor(this.config.threads(), this.config.threads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(this.config.queue()), runnable -> {
                    Thread thread = new Thread(runnable, "predict-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    public Uni<PredictResponse> predict(String accountId, String modelId, FileUpload image, double conf, double iou) {
        checkImage(image);
        return Panache.withSession(() -> models.requireLive(accountId, modelId)
                .chain(model -> weightsOf(model)))
                .chain(weights -> onInferencePool(() -> run(weights, image.uploadedFile(), conf, iou)))
                .call(response -> Panache.withTransaction(() -> outbox.append(Topics.USAGE, "inference.used",
                        accountId, modelId, Map.of("modelId", modelId, "images", 1, "ms", response.speedMs()))));
    }

    @PreDestroy
    void stop() {
        inference.shutdownNow();
    }

    private Uni<ModelFile> weightsOf(Model model) {
        if (!"ready".equals(model.status)) {
            return Uni.createFrom().failure(new PlatformException(ErrorCode.VALIDATION_ERROR, 409,
                    "Model has no weights yet (status " + model.status + ")", Map.of("status", model.status)));
        }
        return files.weightsOf(model.id)
                .onItem()
                .ifNull()
                .failWith(() -> PlatformException.notFound("model weights", model.id));
    }

    /** Blocking: loads (or reuses) the detector, decodes the image and runs it. */
    private PredictResponse run(ModelFile weights, Path imageFile, double conf, double iou) {
        BgrImage image;
        try {
            image = ImageDecoder.read(imageFile);
        } catch (ImageDecodeException | IOException e) {
            throw PlatformException.invalidField("file", "not a decodable image: " + e.getMessage());
        }
        if ((long) image.width() * image.height() > config.maxImagePixels()) {
            throw PlatformException.invalidField("file", "has more than " + config.maxImagePixels() + " pixels");
        }
        try (LoadedModels.Lease lease = loaded.acquire(weights.id, weights.bytes, () -> load(weights))) {
            long start = System.nanoTime();
            List<Detection> detections = lease.detector().predict(image, conf, iou, Detector.DEFAULT_MAX_DET);
            double ms = (System.nanoTime() - start) / 1e6;
            return new PredictResponse(true, detections.stream()
                    .map(PredictService::toView)
                    .toList(), new PredictResponse.ImageSize(image.width(), image.height()), ms);
        } catch (InferenceException e) {
            throw PlatformException.invalidField("file", "inference failed on this image: " + e.getMessage());
        }
    }

    /**
     * ONNX Runtime for ONNX exports, DJL's PyTorch engine for TorchScript exports and for {@code .pt} checkpoints
     * (whose network vision-core rebuilds from the checkpoint); all load from local disk.
     */
    private Detector load(ModelFile weights) {
        Path local = null;
        try {
            local = Files.createTempFile("model-", "." + weights.format);
            storage.download(weights.objectKey, local)
                    .await()
                    .indefinitely();
            return switch (weights.format) {
                case "torchscript" -> TorchScriptDetector.load(local);
                case "pt" -> TorchNetworkDetector.load(local);
                default -> OnnxDetector.load(local);
            };
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot fetch the model's weights", e);
        } catch (ModelLoadException e) {
            throw new IllegalStateException("Stored weights do not load: " + weights.objectKey, e);
        } finally {
            deleteQuietly(local);
        }
    }

    /** Runs blocking work on the bounded pool and resumes on the caller's Vert.x context. */
    private <T> Uni<T> onInferencePool(java.util.function.Supplier<T> work) {
        Context context = vertx.getOrCreateContext();
        return Uni.createFrom()
                .<T> emitter(emitter -> {
                    try {
                        inference.execute(() -> {
                            try {
                                T result = work.get();
                                context.runOnContext(() -> emitter.complete(result));
                            } catch (RuntimeException e) {
                                context.runOnContext(() -> emitter.fail(e));
                            }
                        });
                    } catch (RejectedExecutionException e) {
                        emitter.fail(PlatformException.busy("Predict is saturated; retry shortly",
                                config.retryAfterSeconds()));
                    }
                });
    }

    private void checkImage(FileUpload image) {
        if (image == null) {
            throw PlatformException.invalidField("file", "send the image in the multipart field 'file'");
        }
        if (image.size() == 0) {
            throw PlatformException.invalidField("file", "is empty (0 bytes)");
        }
        if (image.size() > config.maxImageSize().asLongValue()) {
            throw PlatformException.invalidField("file", "is larger than " + config.maxImageSize().asLongValue()
                    + " bytes");
        }
    }

    private static PredictionView toView(Detection detection) {
        return new PredictionView(detection.className(), detection.classId(), detection.confidence(),
                new PredictionView.Box(detection.x1(), detection.y1(), detection.x2(), detection.y2()));
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            file.toFile().delete();
        }
    }
}
