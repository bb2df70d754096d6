package io.visionplatform.vision.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One training run's settings, Ultralytics' names and defaults ({@code default.yaml}) where they exist.
 *
 * @param model an architecture name ({@code yolo11n.yaml}) or a {@code .pt} checkpoint to fine-tune
 * @param data an NDJSON file or URL, a YOLO folder or its {@code data.yaml}
 * @param timeHours when set, train for this long: after the first epoch the epoch count is recomputed to fit, as
 *        Ultralytics' {@code time} argument does
 * @param optimizer {@code auto}, {@code SGD} or {@code AdamW}
 * @param fitnessWeights weights of {@code [P, R, mAP50, mAP50-95]} choosing the best checkpoint
 */
public record TrainConfig(String model, String data, int epochs, Double timeHours, int imgsz, int batch, long seed,
        int workers, String optimizer, double lr0, double lrf, double momentum, double weightDecay,
        double warmupEpochs, double warmupMomentum, double warmupBiasLr, double box, double cls, double dfl,
        int closeMosaic, boolean cosLr, int patience, int nbs, Path workdir, Path cacheDir) {

    public TrainConfig {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model is required");
        }
        if (data == null || data.isBlank()) {
            throw new IllegalArgumentException("data is required");
        }
        if (epochs < 1 || epochs > 10_000) {
            throw new IllegalArgumentException("epochs must be 1..10000, got " + epochs);
        }
        if (imgsz < 32 || imgsz % 32 != 0) {
            throw new IllegalArgumentException("imgsz must be a multiple of 32, at least 32, got " + imgsz);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be positive, got " + batch);
        }
    }

    /** Ultralytics' defaults for everything but the model, data, epochs and image size. */
    public static TrainConfig defaults(String model, String data, int epochs, int imgsz, Path workdir) {
        return new TrainConfig(model, data, epochs, null, imgsz, 16, 0, 1, "auto", 0.01, 0.01, 0.937, 0.0005, 3.0,
                0.8, 0.1, 7.5, 0.5, 1.5, 10, false, 100, 64, workdir, workdir.resolve("cache"));
    }

    public TrainConfig withBatch(int value) {
        return edit(d -> d.batch = value);
    }

    public TrainConfig withSeed(long value) {
        return edit(d -> d.seed = value);
    }

    public TrainConfig withWorkers(int value) {
        return edit(d -> d.workers = value);
    }

    public TrainConfig withOptimizer(String value, double lr) {
        return edit(d -> {
            d.optimizer = value;
            d.lr0 = lr;
        });
    }

    public TrainConfig withTimeHours(Double value) {
        return edit(d -> d.timeHours = value);
    }

    public TrainConfig withCloseMosaic(int value) {
        return edit(d -> d.closeMosaic = value);
    }

    public TrainConfig withWarmupEpochs(double value) {
        return edit(d -> d.warmupEpochs = value);
    }

    public TrainConfig withNbs(int value) {
        return edit(d -> d.nbs = value);
    }

    /** A copy with some settings changed (and validated again). */
    private TrainConfig edit(Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return d.build();
    }

    /** The settings as mutable fields, for {@link #edit}. */
    private static final class Draft {
        String model;
        String data;
        int epochs;
        Double timeHours;
        int imgsz;
        int batch;
        long seed;
        int workers;
        String optimizer;
        double lr0;
        double lrf;
        double momentum;
        double weightDecay;
        double warmupEpochs;
        double warmupMomentum;
        double warmupBiasLr;
        double box;
        double cls;
        double dfl;
        int closeMosaic;
        boolean cosLr;
        int patience;
        int nbs;
        Path workdir;
        Path cacheDir;

        Draft(TrainConfig c) {
            model = c.model;
            data = c.data;
            epochs = c.epochs;
            timeHours = c.timeHours;
            imgsz = c.imgsz;
            batch = c.batch;
            seed = c.seed;
            workers = c.workers;
            optimizer = c.optimizer;
            lr0 = c.lr0;
            lrf = c.lrf;
            momentum = c.momentum;
            weightDecay = c.weightDecay;
            warmupEpochs = c.warmupEpochs;
            warmupMomentum = c.warmupMomentum;
            warmupBiasLr = c.warmupBiasLr;
            box = c.box;
            cls = c.cls;
            dfl = c.dfl;
            closeMosaic = c.closeMosaic;
            cosLr = c.cosLr;
            patience = c.patience;
            nbs = c.nbs;
            workdir = c.workdir;
            cacheDir = c.cacheDir;
        }

        TrainConfig build() {
            return new TrainConfig(model, data, epochs, timeHours, imgsz, batch, seed, workers, optimizer, lr0, lrf, momentum,
                    weightDecay, warmupEpochs, warmupMomentum, warmupBiasLr, box, cls, dfl, closeMosaic, cosLr, patience, nbs,
                    workdir, cacheDir);
        }
    }

    /** The settings as the SDK reports {@code trainArgs} (every value as text). */
    public Map<String, Object> asTrainArgs() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("task", "detect");
        a.put("mode", "train");
        a.put("model", model);
        a.put("data", data);
        a.put("epochs", epochs);
        a.put("time", timeHours);
        a.put("patience", patience);
        a.put("batch", batch);
        a.put("imgsz", imgsz);
        a.put("workers", workers);
        a.put("optimizer", optimizer);
        a.put("seed", seed);
        a.put("deterministic", true);
        a.put("cos_lr", cosLr);
        a.put("close_mosaic", closeMosaic);
        a.put("lr0", lr0);
        a.put("lrf", lrf);
        a.put("momentum", momentum);
        a.put("weight_decay", weightDecay);
        a.put("warmup_epochs", warmupEpochs);
        a.put("warmup_momentum", warmupMomentum);
        a.put("warmup_bias_lr", warmupBiasLr);
        a.put("box", box);
        a.put("cls", cls);
        a.put("dfl", dfl);
        a.put("nbs", nbs);
        return a;
    }
}
