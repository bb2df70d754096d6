package io.visionplatform.vision.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import ai.djl.Device;

/**
 * The training worker: one JVM per run (docs/adr/0007-training-worker.md). Parses the arguments, trains with
 * {@link Trainer}, and reports to the platform named by {@code ULTRALYTICS_PLATFORM_URL} with
 * {@code ULTRALYTICS_API_KEY} through {@link PlatformReporter}, the path the Ultralytics SDK uses. A {@code cancel}
 * file in the work directory, a {@code cancelled} response or SIGTERM stops training within one batch. Exit status: 0
 * completed, 3 cancelled, 1 failed, 2 bad arguments (143 after SIGTERM). {@code worker.json} in the work directory tells an
 * executor the worker's pid and state.
 */
public final class TrainWorker {

    static final int EXIT_COMPLETED = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_CANCELLED = 3;

    private static final long SHUTDOWN_GRACE_SECONDS = 8;
    /** A file in the work directory that asks the worker to stop, checked before every batch. */
    static final String CANCEL_FILE = "cancel";

    private TrainWorker() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out) {
        Map<String, String> options;
        TrainConfig config;
        try {
            options = parse(args);
            config = config(options);
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            out.println(usage());
            return EXIT_USAGE;
        }
        int threads = Integer.parseInt(options.getOrDefault("threads",
                String.valueOf(Math.max(1, Runtime.getRuntime().availableProcessors()))));
        // libtorch reads its thread counts once, when the engine loads
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));

        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancelled.set(true);
            try {
                finished.await(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "train-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        WorkerState state = new WorkerState(config.workdir().resolve("worker.json"));
        String url = env.get("ULTRALYTICS_PLATFORM_URL");
        PlatformReporter reporter = url == null || url.isBlank() ? null
                : new PlatformReporter(url, env.getOrDefault("ULTRALYTICS_API_KEY", ""), options.get("model-id"),
                        options.get("project"), options.getOrDefault("name", "train"), cancelled, out::println);
        TrainListener listener = (event, data) -> {
            if ("console_output".equals(event)) {
                out.println(data.get("content"));
            }
            if ("epoch_end".equals(event)) {
                state.write("running", ((Number) data.get("epoch")).intValue() + 1);
            }
            if (reporter != null) {
                reporter.onEvent(event, data);
            }
        };
        try {
            state.write("running", 0);
            Device device = "cpu".equalsIgnoreCase(options.get("device")) ? Device.cpu() : Trainer.defaultDevice();
            Path cancelFile = config.workdir().resolve(CANCEL_FILE);
            BooleanSupplier stop = () -> cancelled.get() || Files.exists(cancelFile);
            TrainResult result = new Trainer(config, listener, stop, device).run();
            state.write(result.status(), result.epochsDone());
            out.printf("%s: %d epochs, best epoch %d, fitness %.4f, %.1f images/s, %.0f s%n", result.status(),
                    result.epochsDone(), result.bestEpoch() + 1, result.bestFitness(), result.imagesPerSecond(),
                    result.seconds());
            return "cancelled".equals(result.status()) ? EXIT_CANCELLED : EXIT_COMPLETED;
        } catch (Exception | OutOfMemoryError e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            out.println("training failed: " + message);
            e.printStackTrace(out);
            state.write("failed", -1);
            if (reporter != null) {
                reporter.failed(message, e instanceof IllegalArgumentException ? "INVALID_INPUT" : "TRAINING_ERROR");
            }
            return EXIT_FAILED;
        } finally {
            finished.countDown();
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got '" + a + "'");
            }
            options.put(a.substring(2), args[++i]);
        }
        return options;
    }

    static TrainConfig config(Map<String, String> o) {
        String model = require(o, "model");
        String data = require(o, "data");
        Path workdir = Path.of(o.getOrDefault("workdir", "runs/train")).toAbsolutePath();
        try {
            TrainConfig c = TrainConfig.defaults(model, data, Integer.parseInt(o.getOrDefault("epochs", "100")),
                    Integer.parseInt(o.getOrDefault("imgsz", "640")), workdir);
            c = c.withBatch(Integer.parseInt(o.getOrDefault("batch", "16")))
                    .withSeed(Long.parseLong(o.getOrDefault("seed", "0")))
                    .withWorkers(Integer.parseInt(o.getOrDefault("workers", "1")));
            if (o.containsKey("optimizer") || o.containsKey("lr0")) {
                c = c.withOptimizer(o.getOrDefault("optimizer", "auto"),
                        Double.parseDouble(o.getOrDefault("lr0", "0.01")));
            }
            if (o.containsKey("time")) {
                c = c.withTimeHours(Double.parseDouble(o.get("time")));
            }
            if (o.containsKey("close-mosaic")) {
                c = c.withCloseMosaic(Integer.parseInt(o.get("close-mosaic")));
            }
            return c;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + e.getMessage());
        }
    }

    private static String require(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    static String usage() {
        return "usage: TrainWorker --model yolo11n.yaml|weights.pt --data dataset.ndjson|url|yolo-folder "
                + "[--epochs 100] [--imgsz 640] [--batch 16] [--device cpu|cuda] [--seed 0] [--threads N] "
                + "[--workers 1] [--workdir runs/train] [--time hours] [--optimizer auto|SGD|AdamW] [--lr0 0.01] "
                + "[--close-mosaic 10] [--model-id ID | --project user/project --name slug]";
    }

    /** {@code worker.json}: pid, state and epoch, rewritten atomically. */
    private record WorkerState(Path file) {

        void write(String state, int epoch) {
            String json = Json.write(Map.of("pid", ProcessHandle.current().pid(), "state", state, "epoch", epoch,
                    "updated_at", Instant.now().toString()));
            try {
                Files.createDirectories(file.getParent());
                Path tmp = file.resolveSibling("worker.json.tmp");
                Files.writeString(tmp, json, StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // the state file is advisory; training goes on
            }
        }
    }
}
