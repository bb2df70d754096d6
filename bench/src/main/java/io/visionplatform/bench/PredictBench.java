package io.visionplatform.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ai.onnxruntime.OrtEnvironment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.visionplatform.vision.detect.Detection;
import io.visionplatform.vision.detect.DetectorOptions;
import io.visionplatform.vision.detect.ModelLoadException;
import io.visionplatform.vision.detect.OnnxDetector;
import io.visionplatform.vision.image.BgrImage;
import io.visionplatform.vision.image.ImageDecodeException;
import io.visionplatform.vision.image.ImageDecoder;
import io.visionplatform.vision.image.LetterboxedImage;

/**
 * Benchmark program (not a test) for predict: the latency and throughput of {@code POST /api/models/{id}/predict}
 * through the gateway, beside the same model on the same image in an ONNX Runtime session inside this JVM. In one run
 * it measures
 * <ol>
 * <li><b>in-process, session.run only</b>: {@link OnnxDetector#forward} on a tensor letterboxed once beforehand
 * (tensor wrap, {@code session.run}, output copy), 1 thread;</li>
 * <li><b>in-process, full pipeline</b>: what the model-service does per request — {@link ImageDecoder#read} of the
 * image file, letterbox, tensor, inference, YOLO decode + NMS, boxes back to image pixels — with vision-core, the
 * service's own library; on 1 thread, then on C threads sharing one detector;</li>
 * <li><b>gateway</b>: the model uploaded once into a throw-away project ({@code POST /api/models}), then the predict
 * call (multipart image) through the gateway, sequentially (1 client), then with C concurrent clients (answers 503
 * with Retry-After, the service's inference pool being full, are counted apart and honoured);</li>
 * </ol>
 * prints p50/p90/p99/mean latency and calls/s of each, and the ratios gateway / in-process (the p50 one is the
 * overhead ratio). The first gateway answer is checked against the in-process detections (same count and classes;
 * a warning otherwise). The project is moved to the trash and the trash emptied at the end (only when it holds
 * nothing else), unless {@code --keep}.
 *
 * <p>
 * The platform must already be running ({@code ./platform start}); {@code bench/run-predict-bench.sh} checks that,
 * builds this project when stale and starts this class. With {@code --local-only} no platform is needed.
 */
public final class PredictBench {

    private static final Duration PREDICT_TIMEOUT = Duration.ofSeconds(120);
    private static final int MAX_ERROR_SAMPLES = 5;
    /** The longest pause a 503's Retry-After gets, so a bad header cannot stall the run. */
    private static final long MAX_RETRY_AFTER_MILLIS = 10_000;

    private final Options options;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private PlatformApi api;
    private ThrowAwayResource throwAway;
    private String projectId;
    private String modelId;

    private PredictBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        BenchMain.main(args, Options::new, Options.USAGE, options -> new PredictBench(options).run());
    }

    // ------------------------------------------------------------------------------------------------------------

    private int run() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Path model = options.model();
        Path imagePath = options.image();
        if (!Files.isRegularFile(model)) {
            throw new BenchException("no model at " + model.toAbsolutePath().normalize() + " (--model PATH)");
        }
        if (!Files.isRegularFile(imagePath)) {
            throw new BenchException("no image at " + imagePath.toAbsolutePath().normalize() + " (--image PATH)");
        }
        byte[] imageBytes = Files.readAllBytes(imagePath);

        if (!options.localOnly) {
            // Fail before the in-process runs when the key or the gateway is missing.
            api = PlatformApi.connect(options, notes);
            // The key, before the in-process runs: any authenticated call will do.
            api.call("GET", "/api/projects", null, null, 200);
        }

        OnnxDetector detector;
        long t0 = System.nanoTime();
        try {
            detector = OnnxDetector.load(model, new DetectorOptions(options.ortThreads));
        } catch (ModelLoadException e) {
            throw new BenchException("cannot load " + model + " in process: " + e.getMessage());
        }
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        try {
            BgrImage image = decode(imagePath);
            List<Detection> reference = detector.predict(image, options.conf, options.iou, OnnxDetector.DEFAULT_MAX_DET);
            printSettings(cores, model, imagePath, imageBytes.length, image, detector, loadSeconds, reference);
            if (reference.isEmpty()) {
                warn("the in-process detector finds nothing in " + imagePath + " at conf " + options.conf
                        + ": the figures hold, but the NMS/post-processing part of them is nearly empty");
            }

            List<Stats> rows = new ArrayList<>();
            Stats forward = measureForward(detector, image);
            rows.add(forward);
            Stats full = measure("in-process: full pipeline", 1, () -> {
                detector.predict(decode(imagePath), options.conf, options.iou, OnnxDetector.DEFAULT_MAX_DET);
                return Outcome.OK;
            });
            rows.add(full);
            Stats fullConcurrent = measure("in-process: full pipeline", options.concurrency(cores), () -> {
                detector.predict(decode(imagePath), options.conf, options.iou, OnnxDetector.DEFAULT_MAX_DET);
                return Outcome.OK;
            });
            rows.add(fullConcurrent);

            if (options.localOnly) {
                report(rows, forward, full, fullConcurrent, null, null, null);
                return finish();
            }

            throwAway = new ThrowAwayResource(api, "project", "model", options, notes);
            Upload upload = null;
            Stats gateway = null;
            Stats gatewayConcurrent = null;
            try {
                projectId = createProject();
                throwAway.created(projectId);
                upload = uploadModel(model);
                HttpRequest predict = predictRequest(imagePath, imageBytes);
                upload = upload.withColdPredict(coldPredict(predict, reference));
                gateway = measure("gateway: predict", 1, () -> gatewayCall(predict));
                rows.add(gateway);
                gatewayConcurrent = measure("gateway: predict", options.concurrency(cores),
                        () -> gatewayCall(predict));
                rows.add(gatewayConcurrent);
            } finally {
                throwAway.release();
            }
            report(rows, forward, full, fullConcurrent, gateway, gatewayConcurrent, upload);
            return finish();
        } finally {
            detector.close();
        }
    }

    // ----------------------------------------------------------------------------------------------- measurement

    /** What one call ended with: a success, a 503 (with the pause its Retry-After asks for), or an error. */
    record Outcome(Kind kind, long retryAfterMillis, double serverMs, String error) {
        static final Outcome OK = new Outcome(Kind.OK, 0, Double.NaN, null);

        static Outcome ok(double serverMs) {
            return new Outcome(Kind.OK, 0, serverMs, null);
        }
    }

    enum Kind {
        OK, BUSY, ERROR
    }

    @FunctionalInterface
    interface Call {
        Outcome call() throws Exception;
    }

    /**
     * Latencies (ns) of the successful calls of one row, sorted; its wall time, the machine's CPU use meanwhile, 503s,
     * errors, and the service's own {@code speedMs} where the answers carry one.
     */
    record Stats(String label, int threads, long[] sorted, double wallSeconds, double cpuBusy, double ownCpu, int busy,
            int errors, List<String> errorSamples, double[] serverMs) {

        /** Share of all CPUs that processes other than this JVM used during the row (NaN when unknown). */
        double otherCpu() {
            return Math.max(0, cpuBusy - ownCpu);
        }

        int calls() {
            return sorted.length;
        }

        /** Nearest-rank percentile, in ms. */
        double percentileMs(double q) {
            return LatencyStats.percentile(sorted, q) / 1e6;
        }

        double p50() {
            return percentileMs(0.50);
        }

        double p90() {
            return percentileMs(0.90);
        }

        double p99() {
            return percentileMs(0.99);
        }

        double meanMs() {
            return LatencyStats.mean(sorted) / 1e6;
        }

        /** Successful calls per second of wall time. */
        double throughput() {
            return sorted.length / wallSeconds;
        }

        String name() {
            return rowName(label, threads);
        }

        /** The median of the server-reported {@code speedMs}, NaN when no answer had one. */
        double serverP50() {
            double[] values = Arrays.stream(serverMs).filter(v -> !Double.isNaN(v)).sorted().toArray();
            return LatencyStats.percentile(values, 0.5);
        }
    }

    static String rowName(String label, int threads) {
        return label + " (" + threads + (threads == 1 ? " thread)" : " threads)");
    }

    /** session.run only: the tensor is letterboxed once, then each call is {@code forward} (wrap, run, copy out). */
    private Stats measureForward(OnnxDetector detector, BgrImage image) throws Exception {
        LetterboxedImage input = detector.letterbox().apply(image);
        float[] tensor = input.toTensor();
        int h = input.info().inputHeight();
        int w = input.info().inputWidth();
        return measure("in-process: session.run only", 1, () -> {
            detector.forward(tensor, h, w);
            return Outcome.OK;
        });
    }

    /**
     * {@code --warmup} uncounted calls, then {@code --requests} calls shared by {@code threads} threads (closed loop:
     * each thread starts its next call when the previous one answered). A 503 is counted, its Retry-After honoured,
     * and the call is not repeated; throughput is successful calls over the wall time of the whole row.
     */
    private Stats measure(String label, int threads, Call call) throws Exception {
        String name = rowName(label, threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "bench-call");
            thread.setDaemon(true);
            return thread;
        });
        try {
            if (options.warmup > 0) {
                Machine.log("%s: %d warm-up call(s)...", name, options.warmup);
                run(pool, threads, options.warmup, call);
            }
            Machine.log("%s: %,d calls...", name, options.requests);
            CpuSample cpu0 = CpuSample.take();
            long own0 = processCpuNanos();
            long t0 = System.nanoTime();
            List<Worker> workers = run(pool, threads, options.requests, call);
            long elapsed = System.nanoTime() - t0;
            double wall = elapsed / 1e9;
            double busy = CpuSample.busy(cpu0, CpuSample.take());
            long own1 = processCpuNanos();
            double ownCpu = own0 < 0 || own1 < 0 ? Double.NaN
                    : (double) (own1 - own0) / elapsed / Runtime.getRuntime().availableProcessors();
            int ok = 0;
            int busy503 = 0;
            int errors = 0;
            List<String> samples = new ArrayList<>();
            for (Worker worker : workers) {
                ok += worker.count;
                busy503 += worker.busy;
                errors += worker.errors;
                for (String sample : worker.errorSamples) {
                    if (samples.size() < MAX_ERROR_SAMPLES) {
                        samples.add(sample);
                    }
                }
            }
            long[] all = new long[ok];
            double[] serverMs = new double[ok];
            int at = 0;
            for (Worker worker : workers) {
                System.arraycopy(worker.nanos, 0, all, at, worker.count);
                System.arraycopy(worker.serverMs, 0, serverMs, at, worker.count);
                at += worker.count;
            }
            Arrays.sort(all);
            Stats stats = new Stats(label, threads, all, wall, busy, ownCpu, busy503, errors, samples,
                    serverMs);
            Machine.log("  %.2f s: p50 %.2f ms, p99 %.2f ms, %.1f calls/s%s%s", wall, stats.p50(), stats.p99(),
                    stats.throughput(), busy503 > 0 ? ", " + busy503 + " answer(s) 503" : "",
                    errors > 0 ? ", " + errors + " ERROR(S)" : "");
            if (errors > 0) {
                problems.add(name + ": " + errors + " of " + options.requests + " calls failed; first: "
                        + String.join(" | ", samples));
            }
            return stats;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One thread's results; only that thread writes it, read after its future completed. */
    private static final class Worker {
        long[] nanos = new long[64];
        double[] serverMs = new double[64];
        int count;
        int busy;
        int errors;
        final List<String> errorSamples = new ArrayList<>();

        void add(long nanoseconds, double server) {
            if (count == nanos.length) {
                nanos = Arrays.copyOf(nanos, count * 2);
                serverMs = Arrays.copyOf(serverMs, count * 2);
            }
            nanos[count] = nanoseconds;
            serverMs[count] = server;
            count++;
        }
    }

    /** {@code calls} calls shared by {@code threads} threads, started together. */
    private static List<Worker> run(ExecutorService pool, int threads, int calls, Call call) throws Exception {
        AtomicInteger next = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Worker>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                Worker worker = new Worker();
                ready.countDown();
                go.await();
                while (next.getAndIncrement() < calls) {
                    long start = System.nanoTime();
                    Outcome outcome;
                    try {
                        outcome = call.call();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    } catch (Exception e) {
                        outcome = new Outcome(Kind.ERROR, 0, Double.NaN, e.toString());
                    }
                    long took = System.nanoTime() - start;
                    switch (outcome.kind()) {
                        case OK -> worker.add(took, outcome.serverMs());
                        case BUSY -> {
                            worker.busy++;
                            Thread.sleep(outcome.retryAfterMillis());
                        }
                        case ERROR -> {
                            worker.errors++;
                            if (worker.errorSamples.size() < MAX_ERROR_SAMPLES) {
                                worker.errorSamples.add(Text.abbreviate(outcome.error(), 300));
                            }
                        }
                    }
                }
                return worker;
            }));
        }
        ready.await();
        go.countDown();
        List<Worker> workers = new ArrayList<>();
        for (Future<Worker> future : futures) {
            workers.add(future.get());
        }
        return workers;
    }

    /** CPU time of this JVM so far (all threads, ONNX Runtime's native ones included), -1 where unknown. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static BgrImage decode(Path image) {
        try {
            return ImageDecoder.read(image);
        } catch (IOException | ImageDecodeException e) {
            throw new BenchException("cannot decode " + image + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------------ platform API

    private String createProject() {
        String name = "predict-bench-" + Instant.now().toString().replace(':', '-') + "-" + Text.randomHex(3);
        JsonObject body = new JsonObject().put("name", name)
                .put("description", "Throw-away project of bench/run-predict-bench.sh (PredictBench); safe to delete.");
        JsonObject data = api.call("POST", "/api/projects", BodyPublishers.ofString(body.encode()), "application/json",
                201).getJsonObject("data");
        String id = data.getString("id");
        Machine.log("created project %s (%s)", id, name);
        return id;
    }

    /** The model upload and the first (cold) predict, which loads the model into the model-service. */
    record Upload(double seconds, long bytes, JsonObject model, double coldPredictMs) {
        Upload withColdPredict(double ms) {
            return new Upload(seconds, bytes, model, ms);
        }
    }

    /** {@code POST /api/models}: multipart {@code projectId}, {@code name}, {@code file} (streamed from disk). */
    private Upload uploadModel(Path model) throws IOException, InterruptedException {
        Multipart multipart = new Multipart("----predict-bench-")
                .field("projectId", projectId)
                .field("name", "predict-bench-" + Text.randomHex(3));
        long bytes = Files.size(model);
        Machine.log("upload: POST /api/models (%.1f MB, multipart)...", bytes / 1e6);
        long t0 = System.nanoTime();
        JsonObject data = api.call("POST", "/api/models",
                multipart.streamingFile("file", fileName(model, "model.onnx"), "application/octet-stream", model),
                multipart.contentType(), Duration.ofMinutes(5), 201).getJsonObject("data");
        double seconds = (System.nanoTime() - t0) / 1e9;
        modelId = data.getString("id");
        throwAway.createdInside(modelId);
        Machine.log("  201 after %.2f s: model %s, status %s, task %s, imgsz %s, classes %s", seconds, modelId,
                data.getString("status"), data.getString("task"), data.getValue("imgsz"), data.getValue("classNames"));
        // An upload answers ready for ONNX files; should that change, wait for it rather than measure 409s.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!"ready".equals(data.getString("status"))) {
            if (System.nanoTime() > deadline) {
                throw new BenchException("model " + modelId + " still " + data.getString("status")
                        + " 120 s after its upload");
            }
            Thread.sleep(200);
            data = api.call("GET", "/api/models/" + modelId, null, null, 200).getJsonObject("data");
        }
        return new Upload(seconds, bytes, data, Double.NaN);
    }

    /** The predict request, built once and sent as is every time: multipart {@code file}, {@code conf}, {@code iou}. */
    private HttpRequest predictRequest(Path image, byte[] imageBytes) {
        Multipart multipart = new Multipart("----predict-bench-")
                .field("conf", Double.toString(options.conf))
                .field("iou", Double.toString(options.iou));
        byte[] body = multipart.withFile("file", fileName(image, "image.jpg"), contentType(image), imageBytes);
        return api.request("/api/models/" + modelId + "/predict", PREDICT_TIMEOUT)
                .header("Content-Type", multipart.contentType())
                .POST(BodyPublishers.ofByteArray(body))
                .build();
    }

    /** The first predict (the service loads the model for it), checked against the in-process detections. */
    private double coldPredict(HttpRequest predict, List<Detection> reference) {
        Machine.log("first predict (cold: the model-service loads the model)...");
        long t0 = System.nanoTime();
        HttpResponse<String> response = sendPredict(predict);
        double ms = (System.nanoTime() - t0) / 1e6;
        JsonObject answer = PlatformApi.expect(response, "POST", "/api/models/" + modelId + "/predict", 200);
        JsonArray predictions = answer.getJsonArray("predictions", new JsonArray());
        Machine.log("  200 after %.1f ms: %d prediction(s), speedMs %s, image %s", ms, predictions.size(),
                answer.getValue("speedMs"), answer.getValue("image"));
        List<Integer> remote = new ArrayList<>();
        for (int i = 0; i < predictions.size(); i++) {
            Object p = predictions.getValue(i);
            remote.add(p instanceof JsonObject o && o.getValue("classId") instanceof Number n ? n.intValue() : -1);
        }
        List<Integer> local = new ArrayList<>(reference.stream().map(Detection::classId).toList());
        remote.sort(null);
        local.sort(null);
        if (predictions.isEmpty()) {
            warn("the gateway's first predict returned no detections (in-process: " + reference.size() + ")");
        } else if (predictions.size() != reference.size()) {
            warn("the gateway's first predict returned " + predictions.size() + " detection(s), the in-process"
                    + " detector " + reference.size() + ": not the same model, image or thresholds?");
        } else if (!remote.equals(local)) {
            warn("the gateway's first predict found classes " + remote + ", the in-process detector " + local);
        } else {
            Machine.log("  same detections as in process (%d, classes %s)", reference.size(), local);
        }
        return ms;
    }

    private Outcome gatewayCall(HttpRequest predict) {
        HttpResponse<String> response = sendPredict(predict);
        int status = response.statusCode();
        if (status == 200) {
            return Outcome.ok(speedMs(response.body()));
        }
        if (status == 503) {
            long seconds = response.headers().firstValue("Retry-After").map(PredictBench::parseLong).orElse(1L);
            return new Outcome(Kind.BUSY, Math.min(MAX_RETRY_AFTER_MILLIS, Math.max(0, seconds) * 1000), Double.NaN,
                    null);
        }
        return new Outcome(Kind.ERROR, 0, Double.NaN, status + ": " + Text.abbreviate(response.body(), 200));
    }

    private HttpResponse<String> sendPredict(HttpRequest predict) {
        try {
            return api.http().send(predict, BodyHandlers.ofString());
        } catch (IOException e) {
            throw new BenchException("POST " + predict.uri().getPath() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }

    /** The answer's {@code speedMs} (the service's letterbox + inference + NMS time), without parsing it all. */
    static double speedMs(String body) {
        int at = body == null ? -1 : body.indexOf("\"speedMs\"");
        if (at < 0) {
            return Double.NaN;
        }
        int start = at + "\"speedMs\"".length();
        while (start < body.length() && (body.charAt(start) == ':' || Character.isWhitespace(body.charAt(start)))) {
            start++;
        }
        int end = start;
        while (end < body.length() && "0123456789.eE+-".indexOf(body.charAt(end)) >= 0) {
            end++;
        }
        try {
            return Double.parseDouble(body.substring(start, end));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    // ------------------------------------------------------------------------------------------------ HTTP helpers

    /** The file's name for a multipart header: plain ASCII without quotes, else {@code fallback}. */
    private static String fileName(Path file, String fallback) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        return name.isEmpty() || !name.matches("[A-Za-z0-9._ -]+") ? fallback : name;
    }

    private static String contentType(Path image) {
        String name = image.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (name.endsWith(".png")) {
            return "image/png";
        }
        if (name.endsWith(".bmp")) {
            return "image/bmp";
        }
        return "application/octet-stream";
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    // ------------------------------------------------------------------------------------------------------ report

    private void printSettings(int cores, Path model, Path image, int imageBytes, BgrImage decoded,
            OnnxDetector detector, double loadSeconds, List<Detection> reference) throws IOException {
        Machine.printMachine(cores);
        Machine.printJavaAndLoad();
        System.out.println("== settings");
        var meta = detector.metadata();
        System.out.printf(Locale.ROOT, "  model             : %s (%.1f MB), task %s, imgsz %s, classes %s; loaded in"
                + " process in %.2f s%n", model.toAbsolutePath().normalize(), Files.size(model) / 1e6, meta.task(),
                meta.imgsz(), meta.names(), loadSeconds);
        System.out.printf(Locale.ROOT, "  image             : %s (%,d bytes, %dx%d) -> model input %dx%d (%s letterbox)%n",
                image.toAbsolutePath().normalize(), imageBytes, decoded.width(), decoded.height(),
                detector.letterbox().targetWidth(), detector.letterbox().targetHeight(),
                detector.letterbox().isMinimal() ? "minimal" : "full");
        System.out.printf(Locale.ROOT, "  in process        : ONNX Runtime %s, CPU, %s; conf %s, iou %s, max_det %d:"
                + " %d detection(s)%s%n", OrtEnvironment.getEnvironment().getVersion(),
                options.ortThreads == 0 ? "default session options (as the model-service)"
                        : "intra-op threads " + options.ortThreads + " (--ort-threads; the model-service uses ORT's"
                                + " default)",
                options.conf, options.iou, OnnxDetector.DEFAULT_MAX_DET, reference.size(), describe(reference));
        System.out.printf("  calls             : %,d measured per row after %,d warm-up; concurrent rows %d threads%n",
                options.requests, options.warmup, options.concurrency(cores));
        if (options.localOnly) {
            System.out.println("  platform          : not used (--local-only)");
        } else {
            System.out.printf("  platform          : %s (public API, HTTP/1.1 keep-alive), %s%n", options.gateway,
                    options.keep ? "--keep (project and model left in place)"
                            : "project and model deleted at the end");
        }
        System.out.println();
    }

    private static String describe(List<Detection> detections) {
        if (detections.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder(" (");
        for (int i = 0; i < Math.min(6, detections.size()); i++) {
            Detection d = detections.get(i);
            s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2f", d.className(), d.confidence()));
        }
        return s.append(detections.size() > 6 ? ", ...)" : ")").toString();
    }

    private void report(List<Stats> rows, Stats forward, Stats full, Stats fullConcurrent, Stats gateway,
            Stats gatewayConcurrent, Upload upload) {
        System.out.println();
        System.out.printf(Locale.ROOT, "== results (%,d calls per row after %,d warm-up, closed loop; latency of the"
                + " successful calls)%n", options.requests, options.warmup);
        Table table = Table.print("  %-42s %7s %8s %8s %8s %8s %9s %8s %9s %5s", "row", "calls", "p50 ms",
                "p90 ms", "p99 ms", "mean ms", "calls/s", "CPU busy", "other CPU", "503s");
        for (Stats s : rows) {
            boolean remote = s.label().startsWith("gateway");
            table.row(Text.abbreviate(s.name(), 42), String.format(Locale.ROOT, "%,d", s.calls()),
                    Table.number(s.p50(), "%.2f"), Table.number(s.p90(), "%.2f"), Table.number(s.p99(), "%.2f"),
                    Table.number(s.meanMs(), "%.2f"), Table.number(s.throughput(), "%,.1f"),
                    Table.percent(s.cpuBusy()), Table.percent(s.otherCpu()),
                    remote ? Integer.toString(s.busy()) : "");
        }
        System.out.println("  (session.run only: forward() on a tensor letterboxed once; full pipeline: decode of the"
                + " image file + letterbox + inference + NMS, as the model-service does per request; CPU busy: share"
                + " of all CPUs busy on the machine during the row, every process counted; other CPU: the part of it"
                + " not used by this JVM: background load for the in-process rows, the platform and the rest for the"
                + " gateway rows)");
        if (upload != null) {
            System.out.printf(Locale.ROOT, "  model upload (POST /api/models, %.1f MB): %.2f s; first predict (cold,"
                    + " the service loads the model): %.1f ms%n", upload.bytes() / 1e6, upload.seconds(),
                    upload.coldPredictMs());
        }
        for (Stats s : new Stats[] { gateway, gatewayConcurrent }) {
            if (s != null && !Double.isNaN(s.serverP50())) {
                System.out.printf(Locale.ROOT, "  %s: the service's own speedMs (letterbox + inference + NMS, no"
                        + " decode) p50 %.2f ms of the %.2f ms p50 seen here%n", s.name(), s.serverP50(), s.p50());
            }
        }

        System.out.println();
        System.out.println("== ratios (latency: >1 is slower; throughput: <1 is fewer calls/s)");
        ratio("in-process full / session.run only, p50", full.p50(), forward.p50(), "ms");
        if (gateway != null && gateway.calls() > 0) {
            ratio("OVERHEAD RATIO gateway p50 / in-process full p50", gateway.p50(), full.p50(), "ms");
            ratio("gateway p99 / in-process full p99", gateway.p99(), full.p99(), "ms");
            ratio("gateway calls/s / in-process full calls/s (1 thread)", gateway.throughput(), full.throughput(),
                    "calls/s");
            System.out.printf(Locale.ROOT, "  %-58s %+.2f ms  (p50: gateway %.2f - in-process full %.2f)%n",
                    "absolute overhead, gateway p50 - in-process full p50:", gateway.p50() - full.p50(),
                    gateway.p50(), full.p50());
        }
        if (gatewayConcurrent != null && gatewayConcurrent.calls() > 0) {
            ratio("gateway calls/s / in-process calls/s (" + gatewayConcurrent.threads() + " threads each)",
                    gatewayConcurrent.throughput(), fullConcurrent.throughput(), "calls/s");
            ratio("gateway p99 / in-process full p99 (" + gatewayConcurrent.threads() + " threads each)",
                    gatewayConcurrent.p99(), fullConcurrent.p99(), "ms");
        }
        for (Stats s : new Stats[] { gateway, gatewayConcurrent }) {
            if (s != null && s.busy() > 0) {
                System.out.printf("  %s: %d answer(s) 503 (the model-service's inference pool and queue were full),"
                        + " each followed by its Retry-After pause and not repeated; not in the latencies, and the"
                        + " pauses count in calls/s%n", s.name(), s.busy());
            }
        }
        for (String warning : warnings) {
            System.out.println("  WARNING: " + warning);
        }
        for (String note : notes) {
            System.out.println("  " + note);
        }
    }

    private static void ratio(String label, double a, double b, String unit) {
        System.out.printf(Locale.ROOT, "  %-58s x%.3f  (%s vs %s %s)%n", label + ":", a / b,
                Table.number(a, "%,.2f"), Table.number(b, "%,.2f"), unit);
    }

    private void warn(String warning) {
        warnings.add(warning);
        Machine.log("WARNING: %s", warning);
    }

    private int finish() {
        if (problems.isEmpty()) {
            System.out.println();
            if (options.localOnly) {
                System.out.println("in-process figures only (--local-only)");
            } else {
                System.out.println("no errors (every gateway answer was 200 or 503)"
                        + (warnings.isEmpty() ? "" : "; see the WARNING line(s) above"));
            }
            return 0;
        }
        BenchMain.printInvalid("ERRORS DURING THE RUN: these figures are NOT valid", problems);
        return 2;
    }

    // ------------------------------------------------------------------------------------------------- options

    static final class Options extends PlatformOptions {
        static final String USAGE = """
                usage: PredictBench [options]
                  --gateway URL          the platform's gateway (default http://127.0.0.1:$PLATFORM_GATEWAY_PORT, 8080)
                  --key KEY              API key (default: the bootstrap admin key in
                                         $PLATFORM_DATA_DIR/secrets/bootstrap-api-key, else ROOT/.data/secrets/...)
                  --root DIR             the checkout: its .data/secrets/bootstrap-api-key, and the default model and
                                         image below are taken relative to it (default .)
                  --model PATH           ONNX detection model (default ROOT/../shared/fixtures/ultralytics/
                                         yolo11n-shapes4/model.onnx)
                  --image PATH           image to predict on (default ROOT/../shared/fixtures/ultralytics/images/
                                         predict_00_320x120.jpg)
                  --requests N           measured calls per row (default 500)
                  --warmup N             uncounted calls before each row (default 50)
                  --concurrency C        threads / clients of the concurrent rows (default: nproc)
                  --conf X, --iou X      predict thresholds, 0..1 (default 0.25 and 0.7, the service's defaults)
                  --ort-threads N        intra-op threads of the in-process session (default 0: ONNX Runtime's
                                         default, as the model-service)
                  --keep                 leave the project and model in place (default: trash them, empty the trash)
                  --empty-trash-anyway   empty the trash even when it holds items that are not this run's
                  --local-only           only the in-process rows (no platform)
                  -h, --help             this text
                There is no row against the model-service directly: services trust only the gateway's signed identity
                token, so every platform call goes through the gateway.
                """;

        Path model;
        Path image;
        int requests = 500;
        int warmup = 50;
        int concurrency;
        double conf = OnnxDetector.DEFAULT_CONF;
        double iou = OnnxDetector.DEFAULT_IOU;
        int ortThreads;

        Path model() {
            return model != null ? model : base().resolve("../shared/fixtures/ultralytics/yolo11n-shapes4/model.onnx");
        }

        Path image() {
            return image != null ? image : base().resolve("../shared/fixtures/ultralytics/images/predict_00_320x120.jpg");
        }

        private Path base() {
            return root != null ? root : Path.of(".");
        }

        int concurrency(int cores) {
            return concurrency > 0 ? concurrency : cores;
        }

        @Override
        void option(String name, String value) {
            switch (name) {
                case "--model" -> model = Path.of(value);
                case "--image" -> image = Path.of(value);
                case "--requests", "-n" -> requests = OptionValues.positive(name, value);
                case "--warmup" -> warmup = OptionValues.nonNegative(name, value);
                case "--concurrency", "-c" -> concurrency = OptionValues.positive(name, value);
                case "--conf" -> conf = unit(name, value);
                case "--iou" -> iou = unit(name, value);
                case "--ort-threads" -> ortThreads = OptionValues.nonNegative(name, value);
                case "--direct" -> throw new IllegalArgumentException("--direct is not offered: the services "
                        + "trust only the gateway's signed identity token, so predict is measured through the "
                        + "gateway");
                default -> super.option(name, value);
            }
        }

        private static double unit(String name, String value) {
            double v = OptionValues.number(name, value, Double::parseDouble);
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
            }
            return v;
        }
    }
}
