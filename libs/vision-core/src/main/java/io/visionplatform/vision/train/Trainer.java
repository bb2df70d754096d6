package io.visionplatform.vision.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.visionplatform.vision.nn.YoloArchitecture;
import io.visionplatform.vision.onnx.ExportOptions;
import io.visionplatform.vision.onnx.OnnxExporter;
import io.visionplatform.vision.pt.Checkpoint;
import io.visionplatform.vision.train.data.AugmentConfig;
import io.visionplatform.vision.train.data.Batch;
import io.visionplatform.vision.train.data.TrainLoader;
import io.visionplatform.vision.train.data.TrainingData;
import io.visionplatform.vision.train.loss.DetectionLoss;
import io.visionplatform.vision.train.nn.ParameterStore;
import io.visionplatform.vision.train.nn.TrainableNetwork;
import io.visionplatform.vision.train.optim.ModelEma;
import io.visionplatform.vision.train.optim.Optimizer;

/**
 * Trains a YOLOv8 / YOLO11 detector the way Ultralytics' {@code DetectionTrainer} does: warmup then a linear (or
 * cosine) learning-rate schedule over three parameter groups, gradient accumulation to a nominal batch of 64, gradient
 * clipping, an EMA of the weights, mosaic closed for the last epochs, validation of the EMA after every epoch, and the
 * best checkpoint by fitness. Progress goes to a {@link TrainListener} as SDK telemetry events. Runs on the calling
 * thread; {@code cancelled} is polled before every batch.
 */
public final class Trainer {

    private static final double[] FITNESS_WEIGHTS = { 0.0, 0.0, 0.1, 0.9 };
    private static final int AUTO_SGD_ITERATIONS = 10_000;

    private final TrainConfig config;
    private final TrainListener listener;
    private final BooleanSupplier cancelled;
    private final Device device;

    public Trainer(TrainConfig config, TrainListener listener, BooleanSupplier cancelled, Device device) {
        this.config = config;
        this.listener = listener;
        this.cancelled = cancelled;
        this.device = device;
    }

    /** The engine's default device: CUDA when DJL finds a GPU, else the CPU. */
    public static Device defaultDevice() {
        return Engine.getEngine("PyTorch").defaultDevice();
    }

    public TrainResult run() throws IOException {
        // gradient recording is per thread in libtorch (loaded by the engine); only the collector turns it on
        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        long start = System.nanoTime();
        Path weightsDir = config.workdir().resolve("weights");
        Files.createDirectories(weightsDir);
        TrainingData data = TrainingData.load(config.data(), config.cacheDir());
        int nc = data.names().size();
        Initial initial = initial(nc);
        YoloArchitecture arch = YoloArchitecture.parse(initial.yaml());
        try (NDManager base = NDManager.newBaseManager(device, "PyTorch");
                ParameterStore store = new ParameterStore(base.newSubManager(), config.seed());
                TrainLoader loader = new TrainLoader(data.train(), AugmentConfig.ultralyticsDefaults(), config.imgsz(),
                        config.batch(), config.seed(), config.workers())) {
            TrainableNetwork network = TrainableNetwork.build(arch, store);
            int[] loaded = initial.load(store);
            String from = loaded[0] == 0 ? ""
                    : String.format(Locale.ROOT, ", %d tensors from the checkpoint (%d re-initialised: their shape "
                            + "differs, e.g. the class outputs for another class count)", loaded[0], loaded[1]);
            log(String.format(Locale.ROOT, "%s: %d layers, %,d parameters%s; %d train, %d val images, %d classes",
                    config.model(), arch.layers().size(), store.parameterCount(), from, data.train().size(),
                    data.val().size(), nc));
            try (ModelEma ema = new ModelEma(store)) {
                Run run = new Run(data, initial.yaml(), network, store, ema, loader, weightsDir, start);
                return run.train();
            }
        }
    }

    /** The model definition and the weights to start from. */
    private record Initial(Map<String, Object> yaml, Map<String, float[]> weights) {

        /** Copies every tensor whose name and size match; returns {loaded, present but of another size}. */
        int[] load(ParameterStore store) {
            int loaded = 0;
            int reinitialised = 0;
            for (Map.Entry<String, NDArray> e : store.arrays().entrySet()) {
                float[] v = weights.get(e.getKey());
                if (v == null) {
                    continue;
                }
                if (v.length == e.getValue().size()) {
                    store.set(e.getKey(), v);
                    loaded++;
                } else {
                    reinitialised++;
                }
            }
            return new int[] { loaded, reinitialised };
        }
    }

    private Initial initial(int nc) throws IOException {
        if (Architectures.isName(config.model())) {
            return new Initial(Architectures.definition(config.model(), nc), Map.of());
        }
        Path file = config.model().startsWith("http://") || config.model().startsWith("https://")
                ? WeightsDownload.fetch(config.model(), config.cacheDir())
                : Path.of(config.model());
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model '" + config.model()
                    + "' is neither an architecture name (e.g. yolo11n.yaml) nor a .pt file");
        }
        Checkpoint checkpoint = Checkpoint.read(file);
        Map<String, Object> yaml = new LinkedHashMap<>(checkpoint.modelYaml());
        // a different class count re-initialises the class outputs of the head (their shapes no longer match)
        yaml.put("nc", nc);
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Map.Entry<String, io.visionplatform.vision.pt.Tensor> e : checkpoint.stateDict().entrySet()) {
            if (e.getValue().dtype().isFloatingPoint()) {
                weights.put(e.getKey(), e.getValue().toFloatArray());
            }
        }
        return new Initial(yaml, weights);
    }

    private void log(String line) {
        listener.onEvent("console_output", Map.of("content", line));
    }

    /** The state of one run. */
    private final class Run {
        private final TrainingData data;
        private final Map<String, Object> yaml;
        private final TrainableNetwork network;
        private final ParameterStore store;
        private final ModelEma ema;
        private final TrainLoader loader;
        private final Path weightsDir;
        private final long start;
        private final DetectionLoss loss;
        private final Optimizer optimizer;
        private final double[] initialLr = new double[3];
        private final double warmupBiasLr;
        private final int nominalAccumulate;
        private final ResultsCsv csv;
        private int epochs;
        private long trainBatches;
        private long trainImages;
        private double trainSeconds;
        private double bestFitness = -1;
        private int bestEpoch = -1;
        private Map<String, Object> bestMetrics = Map.of();
        /** Nanoseconds this epoch spent waiting for data, forward + loss, backward, stepping, validating. */
        private final long[] timing = new long[5];

        Run(TrainingData data, Map<String, Object> yaml, TrainableNetwork network, ParameterStore store, ModelEma ema,
                TrainLoader loader, Path weightsDir, long start) throws IOException {
            this.data = data;
            this.yaml = yaml;
            this.network = network;
            this.store = store;
            this.ema = ema;
            this.loader = loader;
            this.weightsDir = weightsDir;
            this.start = start;
            this.epochs = config.epochs();
            this.loss = new DetectionLoss(network.classCount(), network.regMax(), network.strides(), config.box(),
                    config.cls(), config.dfl());
            this.nominalAccumulate = Math.max((int) Math.round((double) config.nbs() / config.batch()), 1);
            double weightDecay = config.weightDecay() * config.batch() * nominalAccumulate / config.nbs();
            String name = config.optimizer();
            double lr = config.lr0();
            double momentum = config.momentum();
            double biasLr = config.warmupBiasLr();
            if ("auto".equalsIgnoreCase(name)) {
                long iterations = (long) Math.ceil((double) data.train().size() / Math.max(config.batch(), config.nbs()))
                        * config.epochs();
                if (iterations > AUTO_SGD_ITERATIONS) {
                    name = "SGD";
                    lr = 0.01;
                } else {
                    name = "AdamW";
                    lr = Math.round(0.002 * 5 / (4 + network.classCount()) * 1e6) / 1e6;
                }
                momentum = 0.9;
                biasLr = 0.0;
            }
            this.warmupBiasLr = biasLr;
            this.optimizer = new Optimizer(Optimizer.Kind.parse(name), store, momentum, weightDecay);
            for (int g = 0; g < 3; g++) {
                initialLr[g] = lr;
            }
            log(String.format(Locale.ROOT, "optimizer: %s(lr=%s, momentum=%s) with parameter groups: weights "
                    + "(decay=%s), norm weights and biases (no decay)", name, lr, momentum, weightDecay));
            this.csv = new ResultsCsv(config.workdir().resolve("results.csv"));
        }

        private double lambda(int epoch) {
            double x = (double) epoch / epochs;
            if (config.cosLr()) {
                return ((1 - Math.cos(x * Math.PI)) / 2) * (config.lrf() - 1) + 1;
            }
            return Math.max(1 - x, 0) * (1.0 - config.lrf()) + config.lrf();
        }

        TrainResult train() throws IOException {
            listener.onEvent("training_started", startedData());
            int nb = loader.batchesPerEpoch();
            int warmupIterations = config.warmupEpochs() > 0
                    ? Math.max((int) Math.round(config.warmupEpochs() * nb), 100)
                    : -1;
            long lastStep = -1;
            int epoch = 0;
            int epochsDone = 0;
            boolean stopped = false;
            Path last = weightsDir.resolve("last.pt");
            while (epoch < epochs && !stopped) {
                long epochStart = System.nanoTime();
                boolean mosaic = epoch < epochs - config.closeMosaic();
                if (epoch == epochs - config.closeMosaic()) {
                    log("closing dataloader mosaic");
                }
                for (int g = 0; g < 3; g++) {
                    optimizer.learningRate(g, initialLr[g] * lambda(epoch));
                }
                double[] lossSums = new double[3];
                int batches = 0;
                int accumulate = nominalAccumulate;
                Iterator<Batch> it = loader.epoch(epoch, mosaic);
                long batchStart = System.nanoTime();
                while (it.hasNext()) {
                    if (cancelled.getAsBoolean()) {
                        stopped = true;
                        break;
                    }
                    long t0 = System.nanoTime();
                    Batch batch = it.next();
                    timing[0] += System.nanoTime() - t0;
                    long ni = (long) epoch * nb + batches;
                    if (ni <= warmupIterations) {
                        accumulate = warmup(ni, warmupIterations, epoch);
                    }
                    DetectionLoss.Result l = step(batch);
                    lossSums[0] += l.box();
                    lossSums[1] += l.cls();
                    lossSums[2] += l.dfl();
                    batches++;
                    trainImages += batch.size();
                    trainBatches++;
                    if (ni - lastStep >= accumulate) {
                        long t3 = System.nanoTime();
                        optimizer.step();
                        ema.update(store);
                        timing[3] += System.nanoTime() - t3;
                        lastStep = ni;
                    }
                }
                trainSeconds += (System.nanoTime() - batchStart) / 1e9;
                if (stopped) {
                    break;
                }
                long t4 = System.nanoTime();
                Validator.Result val = new Validator(network, loss, data.val(), config.imgsz(), config.batch() * 2)
                        .run(store.manager(), ema::get);
                timing[4] += System.nanoTime() - t4;
                double fitness = val.metrics().fitness(FITNESS_WEIGHTS);
                Map<String, Object> metrics = metrics(lossSums, batches, val);
                boolean best = fitness > bestFitness;
                if (best) {
                    bestFitness = fitness;
                    bestEpoch = epoch;
                    bestMetrics = metrics;
                }
                save(last, epoch, fitness);
                if (best) {
                    Files.copy(last, weightsDir.resolve("best.pt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
                csv.append(epoch + 1, (System.nanoTime() - start) / 1e9, metrics);
                epochsDone = epoch + 1;
                log(String.format(Locale.ROOT,
                        "epoch %d/%d  box %.4f  cls %.4f  dfl %.4f  P %.3f  R %.3f  mAP50 %.3f  mAP50-95 %.3f  (%.1f s)",
                        epoch + 1, epochs, lossSums[0] / batches, lossSums[1] / batches, lossSums[2] / batches,
                        val.metrics().precision(), val.metrics().recall(), val.metrics().map50(),
                        val.metrics().map5095(), epochSeconds));
                log(String.format(Locale.ROOT, "  time: data %.1f s, forward+loss %.1f s, backward %.1f s, "
                        + "optimizer+ema %.1f s, validation %.1f s", timing[0] / 1e9, timing[1] / 1e9,
                        timing[2] / 1e9, timing[3] / 1e9, timing[4] / 1e9));
                java.util.Arrays.fill(timing, 0L);
                listener.onEvent("epoch_end", epochData(epoch, metrics, fitness));
                epoch++;
                if (config.timeHours() != null) {
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    double budget = config.timeHours() * 3600;
                    epochs = Math.max(epochsDone, (int) Math.ceil(budget / (elapsed / epochsDone)));
                    stopped = elapsed >= budget;
                }
                if (epoch - bestEpoch > config.patience()) {
                    log("early stopping: no improvement in " + config.patience() + " epochs");
                    break;
                }
            }
            boolean wasCancelled = stopped && cancelled.getAsBoolean();
            if (wasCancelled) {
                // a partial epoch still leaves a usable checkpoint of the averaged weights
                save(last, epoch, bestFitness);
                log("cancelled during epoch " + (epoch + 1));
            }
            Path best = weightsDir.resolve("best.pt");
            Path onnx = null;
            if (Files.exists(best)) {
                onnx = weightsDir.resolve("best.onnx");
                OnnxExporter.export(best, onnx, ExportOptions.defaults().withImgsz(config.imgsz(), config.imgsz()));
            } else {
                best = null;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            TrainResult result = new TrainResult(wasCancelled ? "cancelled" : "completed", epochsDone, bestEpoch,
                    bestFitness, bestMetrics, best, onnx, last, seconds, trainImages / Math.max(trainSeconds, 1e-9));
            listener.onEvent("training_complete", completeData(result));
            return result;
        }

        /** Ultralytics' warmup: accumulation, learning rates and momentum ramp linearly over the first iterations. */
        private int warmup(long ni, int nw, int epoch) {
            double t = (double) ni / nw;
            int accumulate = Math.max(1, (int) Math.round(1 + t * ((double) config.nbs() / config.batch() - 1)));
            for (int g = 0; g < 3; g++) {
                double from = g == 2 ? warmupBiasLr : 0.0;
                optimizer.learningRate(g, from + t * (initialLr[g] * lambda(epoch) - from));
            }
            if (optimizer.kind() == Optimizer.Kind.SGD) {
                optimizer.momentum(config.warmupMomentum() + t * (config.momentum() - config.warmupMomentum()));
            }
            return accumulate;
        }

        private DetectionLoss.Result step(Batch batch) {
            try (NDManager scope = store.manager().newSubManager();
                    GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray input = scope.create(batch.images(),
                        new Shape(batch.size(), 3, batch.height(), batch.width()));
                long t1 = System.nanoTime();
                NDArray raw = network.forward(store::get, true, input);
                DetectionLoss.Result l = loss.compute(raw, batch);
                long t2 = System.nanoTime();
                timing[1] += t2 - t1;
                collector.backward(l.total());
                timing[2] += System.nanoTime() - t2;
                return l;
            }
        }

        private void save(Path file, int epoch, double fitness) throws IOException {
            CheckpointFiles.write(file, yaml, data.names(), ema, trainBatches, config.asTrainArgs(), epoch,
                    fitness);
        }

        private Map<String, Object> metrics(double[] sums, int batches, Validator.Result val) {
            Map<String, Object> m = new LinkedHashMap<>();
            int d = Math.max(batches, 1);
            m.put("train/box_loss", sums[0] / d);
            m.put("train/cls_loss", sums[1] / d);
            m.put("train/dfl_loss", sums[2] / d);
            m.put("metrics/precision(B)", val.metrics().precision());
            m.put("metrics/recall(B)", val.metrics().recall());
            m.put("metrics/mAP50(B)", val.metrics().map50());
            m.put("metrics/mAP50-95(B)", val.metrics().map5095());
            m.put("val/box_loss", (double) val.boxLoss());
            m.put("val/cls_loss", (double) val.clsLoss());
            m.put("val/dfl_loss", (double) val.dflLoss());
            m.put("lr/pg0", optimizer.learningRate(0));
            m.put("lr/pg1", optimizer.learningRate(1));
            m.put("lr/pg2", optimizer.learningRate(2));
            return m;
        }

        private Map<String, Object> startedData() {
            Map<String, Object> env = new LinkedHashMap<>();
            env.put("ultralyticsVersion", "vision-core " + OnnxExporter.PRODUCER_VERSION);
            env.put("hostname", hostname());
            env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
            env.put("javaVersion", System.getProperty("java.version"));
            env.put("cpuCount", Runtime.getRuntime().availableProcessors());
            env.put("totalRamGb", Math.round(Runtime.getRuntime().maxMemory() / 1e9 * 10) / 10.0);
            if (device.isGpu()) {
                env.put("gpuCount", Engine.getEngine("PyTorch").getGpuCount());
            }
            Map<String, Object> trainArgs = new LinkedHashMap<>();
            config.asTrainArgs().forEach((k, v) -> trainArgs.put(k, String.valueOf(v)));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("trainArgs", trainArgs);
            d.put("epochs", epochs);
            d.put("device", device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu");
            d.put("environment", env);
            return d;
        }

        private Map<String, Object> epochData(int epoch, Map<String, Object> metrics, double fitness) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("epoch", epoch);
            d.put("epochs", epochs);
            d.put("metrics", metrics);
            Runtime rt = Runtime.getRuntime();
            d.put("system", Map.of("cpu", Runtime.getRuntime().availableProcessors(), "ram",
                    Math.round((rt.totalMemory() - rt.freeMemory()) / 1e6) / 1e3));
            d.put("fitness", fitness);
            d.put("best_fitness", bestFitness);
            if (epoch == 0) {
                d.put("modelInfo", Map.of("parameters", store.parameterCount(), "gflops", 0.0, "speedMs", 0.0));
            }
            return d;
        }

        private Map<String, Object> completeData(TrainResult result) throws IOException {
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("metrics", result.bestMetrics());
            results.put("bestEpoch", result.bestEpoch());
            results.put("bestFitness", result.bestFitness());
            results.put("modelPath", result.best() == null ? null : result.best().toString());
            results.put("modelSize", result.best() == null ? null : Files.size(result.best()));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("results", results);
            d.put("classNames", new ArrayList<>(data.names()));
            d.put("status", result.status());
            d.put("epochsDone", result.epochsDone());
            return d;
        }
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Names of the per-epoch log columns, in Ultralytics' {@code results.csv} order. */
    static List<String> metricNames() {
        return List.of("train/box_loss", "train/cls_loss", "train/dfl_loss", "metrics/precision(B)",
                "metrics/recall(B)", "metrics/mAP50(B)", "metrics/mAP50-95(B)", "val/box_loss", "val/cls_loss",
                "val/dfl_loss", "lr/pg0", "lr/pg1", "lr/pg2");
    }
}
