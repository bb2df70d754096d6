package io.visionplatform.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ai.onnxruntime.OrtEnvironment;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.visionplatform.bench.IngestBench.CpuSample;
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

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PREDICT_TIMEOUT = Duration.ofSeconds(120);
    private static final int MAX_ERROR_SAMPLES = 5;
    /** The longest pause a 503's Retry-After gets, so a bad header cannot stall the run. */
    private static final long MAX_RETRY_AFTER_MILLIS = 10_000;

    private final Options options;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final AtomicBoolean cleanedUp = new AtomicBoolean();
    private HttpClient http;
    private String authorization;
    private volatile String projectId;
    private volatile String modelId;

    private PredictBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(64);
            return;
        }
        if (options.help) {
            System.out.println(Options.USAGE);
            return;
        }
        int code;
        try {
            code = new PredictBench(options).run();
        } catch (BenchException e) {
            System.err.println();
            System.err.println("bench: error: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
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
            authorization = "Bearer " + apiKey();
            http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            checkHealth();
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

            Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUpQuietly, "bench-cleanup"));
            Upload upload = null;
            Stats gateway = null;
            Stats gatewayConcurrent = null;
            try {
                projectId = createProject();
                upload = uploadModel(model);
                HttpRequest predict = predictRequest(imagePath, imageBytes);
                upload = upload.withColdPredict(coldPredict(predict, reference));
                gateway = measure("gateway: predict", 1, () -> gatewayCall(predict));
                rows.add(gateway);
                gatewayConcurrent = measure("gateway: predict", options.concurrency(cores),
                        () -> gatewayCall(predict));
                rows.add(gatewayConcurrent);
            } finally {
                if (options.keep) {
                    if (projectId != null) {
                        notes.add("--keep: project " + projectId + (modelId == null ? "" : " with model " + modelId)
                                + " was left in place (delete it with DELETE /api/projects/" + projectId + ")");
                    }
                    cleanedUp.set(true);
                } else {
                    cleanUp();
                }
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
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(q * sorted.length);
            return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] / 1e6;
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
            if (sorted.length == 0) {
                return Double.NaN;
            }
            double sum = 0;
            for (long v : sorted) {
                sum += v;
            }
            return sum / sorted.length / 1e6;
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
            return values.length == 0 ? Double.NaN : values[Math.max(0, (int) Math.ceil(0.5 * values.length) - 1)];
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
                                worker.errorSamples.add(abbreviate(outcome.error(), 300));
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

    private String apiKey() {
        if (options.key != null) {
            return options.key;
        }
        Path file;
        String dataDir = System.getenv("PLATFORM_DATA_DIR");
        if (options.root == null && dataDir != null && !dataDir.isBlank()) {
            file = Path.of(dataDir, "secrets", "bootstrap-api-key");
        } else {
            file = (options.root != null ? options.root : Path.of(".")).resolve(".data/secrets/bootstrap-api-key");
        }
        try {
            String key = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (key.isEmpty()) {
                throw new BenchException("the API key file " + file + " is empty");
            }
            Machine.log("API key: the bootstrap admin key from %s", file);
            return key;
        } catch (IOException e) {
            throw new BenchException("no API key: cannot read " + file + " (" + e.getMessage() + "); pass --key KEY, "
                    + "or --root with the checkout whose ./platform start wrote .data/secrets/bootstrap-api-key");
        }
    }

    private void checkHealth() {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri("/api/health")).timeout(Duration.ofSeconds(10)).GET().build(),
                    BodyHandlers.ofString());
        } catch (IOException e) {
            throw new BenchException("the gateway does not answer at " + options.gateway + " (" + e + "); start the "
                    + "platform with ./platform start, or pass --gateway URL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
        String status = null;
        try {
            JsonObject data = new JsonObject(response.body()).getJsonObject("data");
            status = data == null ? null : data.getString("status");
        } catch (DecodeException | ClassCastException e) {
            // reported below
        }
        if (!"UP".equals(status)) {
            notes.add("GET /api/health answered " + response.statusCode() + " with status " + status
                    + " at the start: " + abbreviate(response.body(), 400));
            Machine.log("warning: the platform is not entirely UP (%d): %s", response.statusCode(),
                    abbreviate(response.body(), 400));
        } else {
            Machine.log("gateway %s: /api/health UP", options.gateway);
        }
        // The key, before the in-process runs: any authenticated call will do.
        call("GET", "/api/projects", null, null, 200);
    }

    private String createProject() {
        String name = "predict-bench-" + Instant.now().toString().replace(':', '-') + "-" + randomHex(3);
        JsonObject body = new JsonObject().put("name", name)
                .put("description", "Throw-away project of bench/run-predict-bench.sh (PredictBench); safe to delete.");
        JsonObject data = call("POST", "/api/projects", BodyPublishers.ofString(body.encode()), "application/json",
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
    private Upload uploadModel(Path model) throws InterruptedException {
        String boundary = "----predict-bench-" + randomHex(12);
        String name = "predict-bench-" + randomHex(3);
        String preamble = field(boundary, "projectId", projectId) + field(boundary, "name", name)
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + fileName(model, "model.onnx") + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        String epilogue = "\r\n--" + boundary + "--\r\n";
        BodyPublisher body;
        long bytes;
        try {
            bytes = Files.size(model);
            body = BodyPublishers.concat(
                    BodyPublishers.ofByteArray(preamble.getBytes(StandardCharsets.UTF_8)),
                    BodyPublishers.ofFile(model),
                    BodyPublishers.ofByteArray(epilogue.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Machine.log("upload: POST /api/models (%.1f MB, multipart)...", bytes / 1e6);
        long t0 = System.nanoTime();
        JsonObject data = call("POST", "/api/models", body, "multipart/form-data; boundary=" + boundary,
                Duration.ofMinutes(5), 201).getJsonObject("data");
        double seconds = (System.nanoTime() - t0) / 1e9;
        modelId = data.getString("id");
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
            data = call("GET", "/api/models/" + modelId, null, null, 200).getJsonObject("data");
        }
        return new Upload(seconds, bytes, data, Double.NaN);
    }

    /** The predict request, built once and sent as is every time: multipart {@code file}, {@code conf}, {@code iou}. */
    private HttpRequest predictRequest(Path image, byte[] imageBytes) {
        String boundary = "----predict-bench-" + randomHex(12);
        ByteArrayOutputStream body = new ByteArrayOutputStream(imageBytes.length + 512);
        String head = field(boundary, "conf", Double.toString(options.conf))
                + field(boundary, "iou", Double.toString(options.iou))
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + fileName(image, "image.jpg") + "\"\r\n"
                + "Content-Type: " + contentType(image) + "\r\n\r\n";
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(imageBytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(uri("/api/models/" + modelId + "/predict"))
                .timeout(PREDICT_TIMEOUT)
                .header("Authorization", authorization)
                .header("Accept", "application/json")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
    }

    /** The first predict (the service loads the model for it), checked against the in-process detections. */
    private double coldPredict(HttpRequest predict, List<Detection> reference) {
        Machine.log("first predict (cold: the model-service loads the model)...");
        long t0 = System.nanoTime();
        HttpResponse<String> response = sendPredict(predict);
        double ms = (System.nanoTime() - t0) / 1e6;
        JsonObject answer = expect(response, "POST", "/api/models/" + modelId + "/predict", 200);
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
        return new Outcome(Kind.ERROR, 0, Double.NaN, status + ": " + abbreviate(response.body(), 200));
    }

    private HttpResponse<String> sendPredict(HttpRequest predict) {
        try {
            return http.send(predict, BodyHandlers.ofString());
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

    /** Moves the project (and the model with it) to the trash, then empties the trash when it holds nothing else. */
    private void cleanUp() {
        if (!cleanedUp.compareAndSet(false, true) || projectId == null) {
            return;
        }
        String id = projectId;
        try {
            call("DELETE", "/api/projects/" + id, null, null, 200, 204);
            Machine.log("cleanup: project %s moved to the trash", id);
            JsonArray trash = call("GET", "/api/trash", null, null, 200).getJsonArray("data");
            List<String> others = new ArrayList<>();
            for (int i = 0; trash != null && i < trash.size(); i++) {
                JsonObject item = trash.getJsonObject(i);
                String itemId = item.getString("id");
                if (!id.equals(itemId) && !(modelId != null && modelId.equals(itemId))) {
                    others.add(item.getString("type") + " " + itemId + " (" + item.getString("name") + ")");
                }
            }
            if (!others.isEmpty() && !options.emptyTrashAnyway) {
                notes.add("cleanup: the trash also holds " + others.size() + " item(s) that are not this run's ("
                        + abbreviate(String.join(", ", others), 200) + "), so it was NOT emptied (POST /api/trash/empty"
                        + " purges everything); project " + id + " stays in the trash until it is emptied or expires"
                        + " (--empty-trash-anyway to purge it all)");
                Machine.log("cleanup: trash not emptied, it holds %d other item(s)", others.size());
                return;
            }
            call("POST", "/api/trash/empty", BodyPublishers.noBody(), null, 200, 204);
            Machine.log("cleanup: trash emptied (project %s and its model purged%s)", id,
                    others.isEmpty() ? "" : ", with " + others.size() + " other item(s)");
        } catch (RuntimeException e) {
            notes.add("cleanup of project " + id + " failed: " + abbreviate(e.getMessage(), 400));
            Machine.log("cleanup failed: %s", e.getMessage());
        }
    }

    private void cleanUpQuietly() {
        if (!cleanedUp.get() && !options.keep) {
            System.err.println("bench: interrupted, cleaning up project " + projectId);
            cleanUp();
        }
    }

    // ------------------------------------------------------------------------------------------------ HTTP helpers

    private URI uri(String path) {
        return URI.create(options.gateway + path);
    }

    private JsonObject call(String method, String path, BodyPublisher body, String contentType, int... expected) {
        return call(method, path, body, contentType, CALL_TIMEOUT, expected);
    }

    private JsonObject call(String method, String path, BodyPublisher body, String contentType, Duration timeout,
            int... expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json")
                .method(method, body == null ? BodyPublishers.noBody() : body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), BodyHandlers.ofString());
        } catch (IOException e) {
            throw new BenchException(method + " " + path + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException(method + " " + path + " interrupted");
        }
        return expect(response, method, path, expected);
    }

    private static JsonObject expect(HttpResponse<String> response, String method, String path, int... expected) {
        int status = response.statusCode();
        boolean ok = false;
        for (int e : expected) {
            ok |= e == status;
        }
        if (!ok) {
            throw new BenchException(method + " " + path + " answered " + status + ": "
                    + abbreviate(response.body(), 600));
        }
        String text = response.body();
        if (text == null || text.isBlank()) {
            return new JsonObject();
        }
        try {
            return new JsonObject(text);
        } catch (DecodeException e) {
            throw new BenchException(method + " " + path + " answered " + status + " with a body that is not a JSON "
                    + "object: " + abbreviate(text, 400));
        }
    }

    private static String field(String boundary, String name, String value) {
        return "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
                + value + "\r\n";
    }

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

    /** An error that ends the run with a one-line message (exit status 1). */
    static final class BenchException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BenchException(String message) {
            super(message, null, false, false);
        }
    }

    // ------------------------------------------------------------------------------------------------------ report

    private void printSettings(int cores, Path model, Path image, int imageBytes, BgrImage decoded,
            OnnxDetector detector, double loadSeconds, List<Detection> reference) throws IOException {
        System.out.println();
        System.out.println("== machine");
        System.out.printf("  cpus (nproc)      : %d%s%n", cores, Machine.cpuModel());
        System.out.printf("  memory            : %s%n", Machine.memTotal());
        System.out.printf("  os                : %s %s (%s)%n", System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("os.arch"));
        System.out.printf("  java              : %s %s (%s), -Xmx%d MB%n", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vendor"),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("  load average      : %s (1 min) at start%n", Machine.loadAverage());
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
        String header = String.format("  %-42s %7s %8s %8s %8s %8s %9s %8s %9s %5s", "row", "calls", "p50 ms",
                "p90 ms", "p99 ms", "mean ms", "calls/s", "CPU busy", "other CPU", "503s");
        System.out.println(header);
        System.out.println("  " + "-".repeat(header.length() - 2));
        for (Stats s : rows) {
            boolean remote = s.label().startsWith("gateway");
            System.out.println(String.format(Locale.ROOT, "  %-42s %7s %8s %8s %8s %8s %9s %8s %9s %5s",
                    abbreviate(s.name(), 42), String.format(Locale.ROOT, "%,d", s.calls()), number(s.p50(), "%.2f"),
                    number(s.p90(), "%.2f"), number(s.p99(), "%.2f"), number(s.meanMs(), "%.2f"),
                    number(s.throughput(), "%,.1f"),
                    percent(s.cpuBusy()), percent(s.otherCpu()),
                    remote ? Integer.toString(s.busy()) : "").stripTrailing());
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
        System.out.printf(Locale.ROOT, "  %-58s x%.3f  (%s vs %s %s)%n", label + ":", a / b, number(a, "%,.2f"),
                number(b, "%,.2f"), unit);
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "" : String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    private static String number(double v, String format) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, format, v);
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
        System.out.println();
        System.out.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        System.out.println("!!! ERRORS DURING THE RUN: these figures are NOT valid");
        for (String problem : problems) {
            System.out.println("!!!   " + problem);
        }
        System.out.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        return 2;
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String abbreviate(String s, int max) {
        return IngestBench.abbreviate(s, max);
    }

    // ------------------------------------------------------------------------------------------------- options

    static final class Options {
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

        String gateway = "http://127.0.0.1:" + envOr("PLATFORM_GATEWAY_PORT", "8080");
        String key;
        Path root;
        Path model;
        Path image;
        int requests = 500;
        int warmup = 50;
        int concurrency;
        double conf = OnnxDetector.DEFAULT_CONF;
        double iou = OnnxDetector.DEFAULT_IOU;
        int ortThreads;
        boolean keep;
        boolean emptyTrashAnyway;
        boolean localOnly;
        boolean help;

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

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "-h", "--help" -> {
                        o.help = true;
                        continue;
                    }
                    case "--keep" -> {
                        o.keep = true;
                        continue;
                    }
                    case "--empty-trash-anyway" -> {
                        o.emptyTrashAnyway = true;
                        continue;
                    }
                    case "--local-only" -> {
                        o.localOnly = true;
                        continue;
                    }
                    default -> {
                        // an option with a value, below
                    }
                }
                String value;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    value = arg.substring(eq + 1);
                    arg = arg.substring(0, eq);
                } else {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    value = args[++i];
                }
                switch (arg) {
                    case "--gateway" -> o.gateway = value.replaceAll("/+$", "");
                    case "--key" -> o.key = value.isBlank() ? null : value.strip();
                    case "--root" -> o.root = Path.of(value);
                    case "--model" -> o.model = Path.of(value);
                    case "--image" -> o.image = Path.of(value);
                    case "--requests", "-n" -> o.requests = OptionValues.positive(arg, value);
                    case "--warmup" -> o.warmup = OptionValues.nonNegative(arg, value);
                    case "--concurrency", "-c" -> o.concurrency = OptionValues.positive(arg, value);
                    case "--conf" -> o.conf = unit(arg, value);
                    case "--iou" -> o.iou = unit(arg, value);
                    case "--ort-threads" -> o.ortThreads = OptionValues.nonNegative(arg, value);
                    case "--direct" -> throw new IllegalArgumentException("--direct is not offered: the services "
                            + "trust only the gateway's signed identity token, so predict is measured through the "
                            + "gateway");
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (!o.gateway.startsWith("http://") && !o.gateway.startsWith("https://")) {
                throw new IllegalArgumentException("--gateway needs an http:// or https:// URL, got " + o.gateway);
            }
            return o;
        }

        private static String envOr(String name, String fallback) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? fallback : v.strip();
        }

        private static double unit(String name, String value) {
            try {
                double v = Double.parseDouble(value);
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
                }
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " needs a number, got " + value);
            }
        }
    }
}
