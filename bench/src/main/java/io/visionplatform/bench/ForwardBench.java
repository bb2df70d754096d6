package io.visionplatform.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import io.visionplatform.vision.detect.DetectorOptions;
import io.visionplatform.vision.detect.ModelLoadException;
import io.visionplatform.vision.detect.OnnxDetector;
import io.visionplatform.vision.detect.RawOutput;
import io.visionplatform.vision.image.ImageDecodeException;
import io.visionplatform.vision.image.ImageDecoder;
import io.visionplatform.vision.image.Letterbox;
import io.visionplatform.vision.image.LetterboxedImage;
import io.visionplatform.vision.nn.TorchNetworkDetector;
import io.visionplatform.vision.onnx.ExportOptions;
import io.visionplatform.vision.onnx.OnnxExporter;
import io.visionplatform.vision.pt.Checkpoint;

/**
 * Benchmark program (not a test): the forward latency of each fixture model, single image, in DJL (the {@code .pt}
 * checkpoint rebuilt by vision-core's {@code nn} package on libtorch) against ONNX Runtime (the fixture's Ultralytics
 * {@code model.onnx}, and vision-core's own export of the same {@code best.pt} as a third column), printed as ratios.
 * <p>
 * Per model: the image is letterboxed once to the model's 192x192 input (the full letterbox of the fixed-shape
 * export), then each engine runs {@code forward} on that tensor: {@link TorchNetworkDetector#forward} (tensor in,
 * libtorch ops layer by layer, output copied out) and {@link OnnxDetector#forward} (tensor wrap, {@code session.run},
 * output copied out). {@code --warmup} uncounted calls per engine, then {@code --runs} timed calls per engine, taken
 * in interleaved slices (DJL, ORT fixture, ORT export, DJL, ...) so that background load hits all three alike. The
 * outputs of the three engines are compared once (a check, not a figure): a difference above 1e-3 fails the run
 * (exit 2).
 */
public final class ForwardBench {

    private static final int SLICE = 25;
    private static final double TOLERANCE = 1e-3;
    private static final List<String> MODELS = List.of("yolov8n-shapes4", "yolo11n-shapes4", "yolo26n-shapes4");

    private final Options options;
    private final List<String> problems = new ArrayList<>();

    private ForwardBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        BenchMain.main(args, Options::new, Options.USAGE, options -> new ForwardBench(options).run());
    }

    /** One engine's timed calls (ns; sorted once all are measured). */
    private static final class Series {
        final String label;
        final long[] nanos;
        int count;

        Series(String label, int runs) {
            this.label = label;
            this.nanos = new long[runs];
        }

        double p50() {
            return LatencyStats.percentile(nanos, 0.50) / 1e6;
        }

        double p99() {
            return LatencyStats.percentile(nanos, 0.99) / 1e6;
        }

        double mean() {
            return LatencyStats.mean(nanos) / 1e6;
        }
    }

    /** The figures of one model. */
    private record Result(String model, Series djl, Series ortFixture, Series ortExport, double cpuBusy,
            double ownCpu, String check) {
    }

    private int run() throws Exception {
        // libtorch reads its thread count when the engine starts: set it before anything touches DJL
        if (options.threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads));
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        Path fixtures = options.fixtures();
        Path imagePath = options.image();
        if (!Files.isDirectory(fixtures)) {
            throw new BenchException("no fixtures at " + fixtures.toAbsolutePath().normalize() + " (--fixtures DIR)");
        }
        if (!Files.isRegularFile(imagePath)) {
            throw new BenchException("no image at " + imagePath.toAbsolutePath().normalize() + " (--image PATH)");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        Machine.printMachine(cores);
        Machine.printJavaAndLoad();
        String torch;
        try {
            torch = "libtorch " + Engine.getEngine("PyTorch").getVersion() + " (DJL " + Engine.getDjlVersion() + ", "
                    + Engine.getEngine("PyTorch").defaultDevice() + ")";
        } catch (RuntimeException e) {
            throw new BenchException("DJL's PyTorch engine does not start: " + e.getMessage());
        }
        System.out.println("== settings");
        System.out.printf("  engines           : %s; ONNX Runtime %s (CPU)%n", torch,
                OrtEnvironment.getEnvironment().getVersion());
        System.out.printf("  threads           : %s%n", options.threads == 0
                ? "each engine's default (libtorch: one per core; ORT: one per physical core)"
                : options.threads + " (libtorch ai.djl.pytorch.num_threads, ORT intra-op)");
        System.out.printf("  image             : %s%n", imagePath.toAbsolutePath().normalize());
        System.out.printf("  calls             : %,d timed per engine and model after %,d warm-up, in interleaved slices"
                + " of %d%n", options.runs, options.warmup, SLICE);
        System.out.println();

        List<Result> results = new ArrayList<>();
        for (String model : MODELS) {
            results.add(measure(model, fixtures.resolve(model), imagePath));
        }
        report(results);
        if (!problems.isEmpty()) {
            BenchMain.printInvalid("CHECKS FAILED: the engines do not compute the same outputs", problems);
            return 2;
        }
        return 0;
    }

    private Result measure(String model, Path dir, Path imagePath) throws Exception {
        Path pt = dir.resolve("best.pt");
        Path onnx = dir.resolve("model.onnx");
        for (Path p : List.of(pt, onnx)) {
            if (!Files.isRegularFile(p)) {
                throw new BenchException("fixture file missing: " + p.toAbsolutePath().normalize());
            }
        }
        Machine.log("%s: loading best.pt on DJL, model.onnx and our export of best.pt on ORT...", model);
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.read(pt);
        } catch (IOException e) {
            throw new BenchException("cannot read " + pt + ": " + e.getMessage());
        }
        DetectorOptions ortOptions = new DetectorOptions(options.threads);
        long t0 = System.nanoTime();
        byte[] exported = OnnxExporter.toBytes(checkpoint, ExportOptions.defaults());
        double exportSeconds = (System.nanoTime() - t0) / 1e9;
        try (TorchNetworkDetector djl = TorchNetworkDetector.load(checkpoint, null);
                OnnxDetector fixture = OnnxDetector.load(onnx, ortOptions);
                OnnxDetector export = OnnxDetector.load(exported, ortOptions)) {
            Letterbox box = fixture.letterbox();
            LetterboxedImage input = box.apply(ImageDecoder.read(imagePath));
            float[] tensor = input.toTensor();
            int h = input.info().inputHeight();
            int w = input.info().inputWidth();
            Machine.log("  input %dx%d; export took %.2f s (%,d bytes)", w, h, exportSeconds, exported.length);

            String check = check(model, djl.forward(tensor, h, w), fixture.forward(tensor, h, w),
                    export.forward(tensor, h, w));

            Series[] series = { new Series("DJL", options.runs), new Series("ORT fixture", options.runs),
                    new Series("ORT export", options.runs) };
            Call[] calls = { () -> djl.forward(tensor, h, w), () -> fixture.forward(tensor, h, w),
                    () -> export.forward(tensor, h, w) };
            Machine.log("  %d warm-up call(s) per engine...", options.warmup);
            for (int i = 0; i < options.warmup; i++) {
                for (Call c : calls) {
                    c.call();
                }
            }
            Machine.log("  %,d timed calls per engine...", options.runs);
            CpuSample cpu0 = CpuSample.take();
            long own0 = processCpuNanos();
            long start = System.nanoTime();
            for (int done = 0; done < options.runs; done += SLICE) {
                int n = Math.min(SLICE, options.runs - done);
                for (int e = 0; e < calls.length; e++) {
                    Series s = series[e];
                    for (int i = 0; i < n; i++) {
                        long c0 = System.nanoTime();
                        calls[e].call();
                        s.nanos[s.count++] = System.nanoTime() - c0;
                    }
                }
            }
            long elapsed = System.nanoTime() - start;
            double busy = CpuSample.busy(cpu0, CpuSample.take());
            long own1 = processCpuNanos();
            double ownCpu = own0 < 0 || own1 < 0 ? Double.NaN
                    : (double) (own1 - own0) / elapsed / Runtime.getRuntime().availableProcessors();
            for (Series s : series) {
                Arrays.sort(s.nanos);
            }
            Machine.log("  p50: DJL %.2f ms, ORT fixture %.2f ms, ORT export %.2f ms", series[0].p50(),
                    series[1].p50(), series[2].p50());
            return new Result(model, series[0], series[1], series[2], busy, ownCpu, check);
        } catch (ModelLoadException | ImageDecodeException e) {
            throw new BenchException(model + ": " + e.getMessage());
        }
    }

    @FunctionalInterface
    private interface Call {
        RawOutput call();
    }

    /**
     * The three outputs agree: element by element for {@code [1, 4 + nc, N]}; for end-to-end {@code [1, k, 6]} the
     * score column row by row (rows of near-tied scores may swap, so the other columns are not compared in place).
     */
    private String check(String model, RawOutput djl, RawOutput fixture, RawOutput export) {
        boolean endToEnd = fixture.rank() == 3 && fixture.dim(2) == 6;
        double djlVsFixture = diff(djl, fixture, endToEnd);
        double exportVsFixture = diff(export, fixture, endToEnd);
        String what = endToEnd ? "score column" : "all values";
        String line = String.format(Locale.ROOT, "%s %s, max |diff| vs fixture ORT: DJL %.2g, export %.2g",
                Arrays.toString(fixture.shape()), what, djlVsFixture, exportVsFixture);
        if (!(djlVsFixture < TOLERANCE) || !(exportVsFixture < TOLERANCE)) {
            problems.add(model + ": " + line);
        }
        return line;
    }

    private static double diff(RawOutput a, RawOutput b, boolean scoresOnly) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = scoresOnly ? 4 : 0; i < a.data().length; i += scoresOnly ? 6 : 1) {
            max = Math.max(max, Math.abs(a.data()[i] - b.data()[i]));
        }
        return max;
    }

    private void report(List<Result> results) {
        System.out.println();
        System.out.printf(Locale.ROOT, "== results (forward of one 192x192 image, %,d timed calls per engine after %,d"
                + " warm-up; ms)%n", options.runs, options.warmup);
        Table table = Table.print("  %-16s %-30s %8s %8s %8s %9s %9s", "model", "engine", "p50", "p99", "mean",
                "CPU busy", "other CPU");
        for (Result r : results) {
            Series[] all = { r.djl(), r.ortFixture(), r.ortExport() };
            String[] names = { "DJL (best.pt, libtorch)", "ORT (fixture model.onnx)", "ORT (our export of best.pt)" };
            for (int i = 0; i < all.length; i++) {
                table.row(i == 0 ? r.model() : "", names[i], Table.number(all[i].p50(), "%.2f"),
                        Table.number(all[i].p99(), "%.2f"), Table.number(all[i].mean(), "%.2f"),
                        i == 0 ? Table.percent(r.cpuBusy()) : "",
                        i == 0 ? Table.percent(Math.max(0, r.cpuBusy() - r.ownCpu())) : "");
            }
        }
        System.out.println("  (CPU busy: share of all CPUs busy on the machine while the model's three engines were"
                + " measured; other CPU: the part not used by this JVM, i.e. background load)");

        System.out.println();
        System.out.println("== ratios (>1: the first is slower)");
        Table ratios = Table.print("  %-16s %-26s %8s %8s %8s", "model", "ratio", "p50", "p99", "mean");
        for (Result r : results) {
            ratio(ratios, r.model(), "DJL / ORT fixture", r.djl(), r.ortFixture());
            ratio(ratios, "", "DJL / ORT our export", r.djl(), r.ortExport());
            ratio(ratios, "", "ORT our export / fixture", r.ortExport(), r.ortFixture());
        }
        System.out.println();
        System.out.println("== output check (once per model, same input tensor)");
        for (Result r : results) {
            System.out.printf("  %-16s %s%n", r.model(), r.check());
        }
    }

    private static void ratio(Table table, String model, String label, Series a, Series b) {
        table.row(model, label, "x" + Table.number(a.p50() / b.p50(), "%.2f"),
                "x" + Table.number(a.p99() / b.p99(), "%.2f"), "x" + Table.number(a.mean() / b.mean(), "%.2f"));
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    static final class Options extends BenchOptions {
        static final String USAGE = """
                usage: ForwardBench [options]
                  --runs N           timed forward calls per engine and model (default 200)
                  --warmup N         uncounted calls per engine and model first (default 20)
                  --threads N        libtorch threads (ai.djl.pytorch.num_threads) and ORT intra-op threads
                                     (default 1; 0: each engine's default, libtorch one per core, ORT one per
                                     physical core)
                  --fixtures DIR     the Ultralytics fixtures, one folder per model with best.pt and model.onnx
                                     (default ../shared/fixtures/ultralytics, from the checkout's root)
                  --image PATH       the image letterboxed to each model's input (default
                                     FIXTURES/images/predict_00_320x120.jpg)
                  -h, --help         this text
                Models: yolov8n-shapes4, yolo11n-shapes4, yolo26n-shapes4. Engines per model: DJL (the .pt rebuilt
                by vision-core on libtorch), ONNX Runtime with the fixture's model.onnx, and ONNX Runtime with
                vision-core's own ONNX export of the same best.pt. No platform needed.
                """;

        int runs = 200;
        int warmup = 20;
        int threads = 1;
        Path fixtures;
        Path image;

        Path fixtures() {
            return fixtures != null ? fixtures : Path.of("../shared/fixtures/ultralytics");
        }

        Path image() {
            return image != null ? image : fixtures().resolve("images/predict_00_320x120.jpg");
        }

        @Override
        void option(String name, String value) {
            switch (name) {
                case "--runs", "-n" -> runs = OptionValues.positive(name, value);
                case "--warmup" -> warmup = OptionValues.nonNegative(name, value);
                case "--threads" -> threads = OptionValues.nonNegative(name, value);
                case "--fixtures" -> fixtures = Path.of(value);
                case "--image" -> image = Path.of(value);
                default -> super.option(name, value);
            }
        }
    }
}
