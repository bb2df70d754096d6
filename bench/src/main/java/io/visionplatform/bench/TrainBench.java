package io.visionplatform.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ai.djl.Device;
import io.vertx.core.json.JsonObject;
import io.visionplatform.vision.train.TrainConfig;
import io.visionplatform.vision.train.TrainListener;
import io.visionplatform.vision.train.TrainResult;
import io.visionplatform.vision.train.Trainer;

/**
 * Benchmark program (not a test): trains the YOLOv8n and YOLO11n structures from scratch with vision-core's trainer on
 * the full shapes4 dataset ({@code generate_shapes.py --seed 7}: 320 train, 64 val images), with the fixture recipe
 * (imgsz 192, batch 16, optimizer auto, seed 0), for the wall time Ultralytics needed for the fixture model on these
 * machines (its {@code val_metrics.json}; the trainer's {@code time} budget recomputes the epoch count after each
 * epoch, as Ultralytics' does), and prints per model: training images/s, epochs done, val mAP50 and mAP50-95 of the
 * best checkpoint, and their ratio to Ultralytics' figures. One model at a time, in this JVM.
 */
public final class TrainBench {

    private final Options options;

    private TrainBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        BenchMain.main(args, Options::new, Options.USAGE, options -> new TrainBench(options).run());
    }

    /** One model's outcome next to Ultralytics'. */
    private record Row(String model, double seconds, double budget, TrainResult result, double refMap50,
            double refMap5095, int refEpochs) {
    }

    private int run() throws IOException {
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(options.threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Path data = options.data.resolve("data.yaml");
        if (!Files.exists(data)) {
            throw new BenchException("no dataset at " + data + ": run generate_shapes.py OUT --seed 7 first "
                    + "(bench/run-train-bench.sh does)");
        }
        Machine.printMachine(Runtime.getRuntime().availableProcessors());
        Machine.printJavaAndLoad();
        System.out.printf(Locale.ROOT, "training on %s, %d libtorch threads, time scale %.2f%n%n", data,
                options.threads, options.timeScale);
        List<Row> rows = new ArrayList<>();
        for (String model : options.models) {
            JsonObject reference = new JsonObject(
                    Files.readString(options.fixtures().resolve(model + "-shapes4/val_metrics.json")));
            JsonObject training = reference.getJsonObject("training");
            double budget = training.getDouble("train_wall_seconds") * options.timeScale;
            Path workdir = options.workdir.resolve(model);
            TrainConfig config = TrainConfig.defaults(model + ".yaml", data.toString(),
                    training.getInteger("epochs"), training.getInteger("imgsz"), workdir)
                    .withBatch(training.getInteger("batch"))
                    .withTimeHours(budget / 3600.0);
            TrainListener progress = (event, payload) -> {
                if ("console_output".equals(event) && !String.valueOf(payload.get("content")).startsWith("  time")) {
                    System.out.println("  " + model + ": " + payload.get("content"));
                }
            };
            long start = System.nanoTime();
            TrainResult result = new Trainer(config, progress, () -> false, Device.cpu()).run();
            double seconds = (System.nanoTime() - start) / 1e9;
            rows.add(new Row(model, seconds, budget, result, reference.getDouble("mAP50"),
                    reference.getDouble("mAP50-95"), training.getInteger("epochs")));
        }
        System.out.println();
        Table table = Table.printWithRowFormat("  %-8s %8s %8s %9s %8s %8s %9s %8s %9s",
                "  %-8s %8.0f %8.0f %9.1f %8s %8.3f %9.3f %8.2f %9.2f", "model", "wall s", "budget", "images/s",
                "epochs", "mAP50", "mAP50-95", "x mAP50", "x 50-95");
        for (Row r : rows) {
            double map50 = number(r.result(), "metrics/mAP50(B)");
            double map5095 = number(r.result(), "metrics/mAP50-95(B)");
            table.row(r.model(), r.seconds(), r.budget(), r.result().imagesPerSecond(),
                    r.result().epochsDone() + "/" + r.refEpochs(), map50, map5095, map50 / r.refMap50(),
                    map5095 / r.refMap5095());
        }
        System.out.println();
        System.out.println("  x = ratio to Ultralytics 8.4.50 on these machines (fixture val_metrics.json: best.pt on "
                + "the 64 val images); images/s = training images per second, augmentation included, validation not.");
        return 0;
    }

    private static double number(TrainResult result, String key) {
        Object v = result.bestMetrics().get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static final class Options extends BenchOptions {
        static final String USAGE = """
                usage: TrainBench --data DIR [options]
                  --data DIR         the full shapes4 dataset made by generate_shapes.py DIR --seed 7 (required)
                  --models LIST      comma-separated, of yolov8n, yolo11n (default both)
                  --threads N        libtorch threads (default 2)
                  --time-scale F     fraction of Ultralytics' wall time to train for (default 1.0)
                  --workdir DIR      run folders (default target/train-bench)
                  --fixtures DIR     the Ultralytics fixtures (default ../shared/fixtures/ultralytics)
                  -h, --help         this text
                """;

        Path data;
        List<String> models = List.of("yolov8n", "yolo11n");
        int threads = 2;
        double timeScale = 1.0;
        Path workdir = Path.of("target/train-bench");
        Path fixtures;

        Path fixtures() {
            return fixtures != null ? fixtures : Path.of("../shared/fixtures/ultralytics");
        }

        @Override
        void option(String name, String value) {
            switch (name) {
                case "--data" -> data = Path.of(value);
                case "--models" -> models = List.of(value.split(","));
                case "--threads" -> threads = OptionValues.positive(name, value);
                case "--time-scale" -> timeScale = Double.parseDouble(value);
                case "--workdir" -> workdir = Path.of(value);
                case "--fixtures" -> fixtures = Path.of(value);
                default -> super.option(name, value);
            }
        }

        @Override
        void check() {
            if (data == null) {
                throw new IllegalArgumentException("--data is required");
            }
        }
    }
}
