package io.visionplatform.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Benchmark program (not a test) for image ingest through the platform's public API. In one run it
 * <ol>
 * <li>generates N distinct JPEGs (textured background, random boxes and discs, deterministic seed) with YOLO
 * labels and writes them into one zip (entries STORED: JPEGs do not compress),</li>
 * <li>measures the local reference: decoding the same JPEGs with ImageIO on one thread and on every core,</li>
 * <li>creates a dataset, uploads the zip (streamed from disk, never held in memory) and polls the ingest job every
 * 100 ms: upload (POST start → 202), processing (202 → job finished) and end-to-end (POST start → finished),</li>
 * <li>uploads the same zip again into the same dataset, where every image is a duplicate (the dedup rate),</li>
 * <li>exports the dataset (POST export) and downloads the NDJSON (no auth), counting its lines (N + 1),</li>
 * </ol>
 * prints the figures and the ratios end-to-end ingest / local decode, then moves the dataset to the trash and
 * purges it (unless {@code --keep}).
 *
 * <p>
 * The platform must already be running ({@code ./platform start}); {@code bench/run-ingest-bench.sh} checks that,
 * builds this project when stale and starts this class. Nothing is started or stopped here.
 */
public final class IngestBench {

    private static final List<String> CLASS_NAMES = List.of("box", "disc");
    private static final long POLL_MILLIS = 100;
    /** A fixed modification time for every zip entry, so the same seed gives the same zip. */
    private static final long ENTRY_TIME = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private final Options options;
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private PlatformApi api;
    private String datasetId;

    private IngestBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        BenchMain.main(args, Options::new, Options.USAGE, options -> {
            ImageIO.setUseCache(false); // decode and encode in memory, no temp files
            return new IngestBench(options).run();
        });
    }

    // ------------------------------------------------------------------------------------------------------------

    private int run() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        printSettings(cores);

        if (!options.localOnly) {
            // Fail before spending time on images when the key or the gateway is missing.
            api = PlatformApi.connect(options, notes);
            // The key, before a minute goes into making images: any authenticated dataset call will do.
            api.call("GET", "/api/datasets?limit=1", null, null, 200);
        }

        Path workDir = Files.createTempDirectory("ingest-bench-");
        // The zip (tens of MB) goes even when the run is interrupted (SIGTERM, Ctrl-C).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(workDir), "bench-temp-cleanup"));
        try {
            Generated generated = generate(workDir);
            Decode decode = decodeBaseline(generated.jpegs(), cores);
            if (options.localOnly) {
                report(generated, decode, null, null, null, null, cores);
                return finish();
            }
            ThrowAwayResource throwAway = new ThrowAwayResource(api, "dataset", null, options, notes);
            Ingest first = null;
            Ingest again = null;
            Export export = null;
            JsonObject dataset = null;
            try {
                datasetId = createDataset();
                throwAway.created(datasetId);
                first = ingest("ingest", generated, options.images);
                if (first.succeeded(options.images)) {
                    dataset = getDataset();
                    checkDataset(dataset);
                    again = ingest("re-upload (dups)", generated, options.images);
                    checkDuplicates(again);
                    export = export();
                } else {
                    problems.add("first upload: " + first.summary() + "; the later steps were skipped");
                    printJobErrors(first.job());
                }
            } finally {
                throwAway.release();
            }
            report(generated, decode, first, again, export, dataset, cores);
            return finish();
        } finally {
            deleteRecursively(workDir);
        }
    }

    // ------------------------------------------------------------------------------------------------ images + zip

    /** The zip on disk, the JPEGs in memory (for the local decode reference), their sizes. */
    record Generated(Path zip, long zipBytes, byte[][] jpegs, long jpegBytes, int minJpeg, int maxJpeg, int boxes,
            double seconds) {
    }

    /** One generated image: its JPEG and its YOLO label text. */
    record Sample(byte[] jpeg, String labels, int boxes) {
    }

    private Generated generate(Path workDir) throws IOException {
        int n = options.images;
        Machine.log("generating %,d JPEGs of %dx%d (quality %.2f, seed %d) on %d core(s)...", n, options.width,
                options.height, options.quality, options.seed, Runtime.getRuntime().availableProcessors());
        long t0 = System.nanoTime();
        Sample[] samples = IntStream.range(0, n).parallel()
                .mapToObj(this::sample)
                .toArray(Sample[]::new);
        Path zip = workDir.resolve("ingest-bench-" + n + ".zip");
        byte[][] jpegs = new byte[n][];
        long jpegBytes = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        int boxes = 0;
        try (ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(zip), 1 << 16))) {
            out.setLevel(0);
            String names = CLASS_NAMES.stream().reduce((a, b) -> a + ", " + b).orElse("");
            stored(out, "data.yaml", ("# generated by io.visionplatform.bench.IngestBench\npath: .\n"
                    + "train: images/train\nnames: [" + names + "]\n").getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < n; i++) {
                Sample s = samples[i];
                samples[i] = null;
                String stem = String.format(Locale.ROOT, "bench_%06d", i);
                stored(out, "images/train/" + stem + ".jpg", s.jpeg());
                stored(out, "labels/train/" + stem + ".txt", s.labels().getBytes(StandardCharsets.UTF_8));
                jpegs[i] = s.jpeg();
                jpegBytes += s.jpeg().length;
                min = Math.min(min, s.jpeg().length);
                max = Math.max(max, s.jpeg().length);
                boxes += s.boxes();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long zipBytes = Files.size(zip);
        Machine.log("wrote %s: %.1f MB, %,d images (JPEG %.1f KB on average, %.1f-%.1f KB), %,d boxes, in %.1f s", zip,
                zipBytes / 1e6, n, jpegBytes / 1e3 / n, min / 1e3, max / 1e3, boxes, seconds);
        return new Generated(zip, zipBytes, jpegs, jpegBytes, min, max, boxes, seconds);
    }

    private static void stored(ZipOutputStream out, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        entry.setCrc(crc.getValue());
        entry.setTime(ENTRY_TIME);
        out.putNextEntry(entry);
        out.write(data);
        out.closeEntry();
    }

    /**
     * Image {@code index}: a two-colour gradient with a wavy pattern and fine noise (so the JPEG has a realistic
     * size), a few straight-line distractors, and 1-6 labelled objects — class 0 a striped box, class 1 a disc with
     * rings. Depends only on the seed and the index.
     */
    private Sample sample(int index) {
        int w = options.width;
        int h = options.height;
        SplitMix random = new SplitMix(options.seed * 0x9E3779B97F4A7C15L + index);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();

        int[] c1 = randomColor(random);
        int[] c2 = randomColor(random);
        double angle = random.nextDouble() * Math.PI;
        double dx = Math.cos(angle) / w;
        double dy = Math.sin(angle) / h;
        double fx = (2 + random.nextDouble() * 10) * 2 * Math.PI / w;
        double fy = (2 + random.nextDouble() * 10) * 2 * Math.PI / h;
        double phase = random.nextDouble() * 2 * Math.PI;
        int noise = options.noise;
        // wave(x, y) = 18 sin(fx x + 0.7 sin(fy y + phase)), from per-column and per-row tables
        double[] sinX = new double[w];
        double[] cosX = new double[w];
        for (int x = 0; x < w; x++) {
            sinX[x] = 18 * Math.sin(fx * x);
            cosX[x] = 18 * Math.cos(fx * x);
        }
        for (int y = 0; y < h; y++) {
            double shift = 0.7 * Math.sin(fy * y + phase);
            double cosShift = Math.cos(shift);
            double sinShift = Math.sin(shift);
            for (int x = 0; x < w; x++) {
                double t = Math.min(1, Math.max(0, 0.5 + (x - w / 2.0) * dx + (y - h / 2.0) * dy));
                double wave = sinX[x] * cosShift + cosX[x] * sinShift;
                long bits = random.nextLong();
                int r = clamp(c1[0] + (c2[0] - c1[0]) * t + wave + ((int) (bits & 0xff) * noise >> 8) - noise / 2);
                int g = clamp(c1[1] + (c2[1] - c1[1]) * t + wave + ((int) (bits >> 8 & 0xff) * noise >> 8) - noise / 2);
                int b = clamp(c1[2] + (c2[2] - c1[2]) * t - wave + ((int) (bits >> 16 & 0xff) * noise >> 8) - noise / 2);
                pixels[y * w + x] = r << 16 | g << 8 | b;
            }
        }

        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int distractors = 3 + random.nextInt(6);
        for (int i = 0; i < distractors; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256), 160));
            g.setStroke(new BasicStroke(1 + random.nextInt(4)));
            g.drawLine(random.nextInt(w), random.nextInt(h), random.nextInt(w), random.nextInt(h));
        }
        StringBuilder labels = new StringBuilder();
        int objects = 1 + random.nextInt(6);
        for (int i = 0; i < objects; i++) {
            int cls = random.nextInt(CLASS_NAMES.size());
            int bw = 24 + random.nextInt(Math.max(1, w / 3));
            int bh = 24 + random.nextInt(Math.max(1, h / 3));
            bw = Math.min(bw, w - 2);
            bh = Math.min(bh, h - 2);
            int bx = 1 + random.nextInt(Math.max(1, w - bw - 1));
            int by = 1 + random.nextInt(Math.max(1, h - bh - 1));
            Shape shape = cls == 0 ? new Rectangle2D.Double(bx, by, bw, bh) : new Ellipse2D.Double(bx, by, bw, bh);
            int[] fill = randomColor(random);
            g.setColor(new Color(fill[0], fill[1], fill[2]));
            g.fill(shape);
            // Texture inside the object: stripes (box) or rings (disc) in a contrasting shade.
            g.setClip(shape);
            g.setColor(new Color(255 - fill[0], 255 - fill[1], 255 - fill[2], 90));
            g.setStroke(new BasicStroke(2));
            int step = 5 + random.nextInt(8);
            if (cls == 0) {
                for (int s = -bh; s < bw; s += step) {
                    g.drawLine(bx + s, by, bx + s + bh, by + bh);
                }
            } else {
                for (int s = step; s < Math.max(bw, bh); s += step) {
                    g.draw(new Ellipse2D.Double(bx + bw / 2.0 - s / 2.0, by + bh / 2.0 - s / 2.0, s, s * (double) bh / bw));
                }
            }
            g.setClip(null);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.5f));
            g.draw(shape);
            labels.append(String.format(Locale.ROOT, "%d %.6f %.6f %.6f %.6f%n", cls, (bx + bw / 2.0) / w,
                    (by + bh / 2.0) / h, (double) bw / w, (double) bh / h));
        }
        g.dispose();
        return new Sample(jpeg(image, options.quality), labels.toString(), objects);
    }

    private static int[] randomColor(SplitMix random) {
        return new int[] { 30 + random.nextInt(196), 30 + random.nextInt(196), 30 + random.nextInt(196) };
    }

    private static int clamp(double v) {
        return v < 0 ? 0 : v > 255 ? 255 : (int) v;
    }

    private static byte[] jpeg(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96 * 1024);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a JPEG", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** A tiny, fast, deterministic generator (SplitMix64); one per image, so parallel generation is reproducible. */
    static final class SplitMix {
        private long state;

        SplitMix(long seed) {
            this.state = seed;
        }

        long nextLong() {
            long z = state += 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        int nextInt(int bound) {
            return (int) Math.floorMod(nextLong(), (long) bound);
        }

        double nextDouble() {
            return (nextLong() >>> 11) * 0x1.0p-53;
        }
    }

    // ---------------------------------------------------------------------------------------- local decode reference

    record Decode(double oneThreadSeconds, double allCoresSeconds, int threads, long jpegBytes, int images,
            double oneThreadCpuBusy, double allCoresCpuBusy) {
        double oneThreadRate() {
            return images / oneThreadSeconds;
        }

        double allCoresRate() {
            return images / allCoresSeconds;
        }
    }

    /** Decodes every JPEG with ImageIO (from memory): once on one thread, once on every core. */
    private Decode decodeBaseline(byte[][] jpegs, int cores) throws Exception {
        long bytes = 0;
        for (byte[] jpeg : jpegs) {
            bytes += jpeg.length;
        }
        int warmup = Math.min(jpegs.length, 100);
        for (int i = 0; i < warmup; i++) {
            decode(jpegs[i]);
        }
        Machine.log("local decode reference: ImageIO.read of all %,d JPEGs on 1 thread...", jpegs.length);
        CpuSample cpu0 = CpuSample.take();
        long t0 = System.nanoTime();
        long check = 0;
        for (byte[] jpeg : jpegs) {
            check += decode(jpeg);
        }
        double one = (System.nanoTime() - t0) / 1e9;
        double oneBusy = CpuSample.busy(cpu0, CpuSample.take());
        Machine.log("  1 thread: %.2f s, %.0f images/s", one, jpegs.length / one);

        Machine.log("local decode reference: the same on %d threads (all cores)...", cores);
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<Long>> parts = new ArrayList<>();
            // warm-up of the pool's threads, not counted
            List<Future<Long>> warm = new ArrayList<>();
            for (int t = 0; t < cores; t++) {
                int first = t;
                warm.add(pool.submit(() -> decode(jpegs[first % jpegs.length])));
            }
            for (Future<Long> w : warm) {
                w.get();
            }
            cpu0 = CpuSample.take();
            t0 = System.nanoTime();
            for (int t = 0; t < cores; t++) {
                parts.add(pool.submit(() -> {
                    long sum = 0;
                    for (int i = next.getAndIncrement(); i < jpegs.length; i = next.getAndIncrement()) {
                        sum += decode(jpegs[i]);
                    }
                    return sum;
                }));
            }
            long checkAll = 0;
            for (Future<Long> part : parts) {
                checkAll += part.get();
            }
            double all = (System.nanoTime() - t0) / 1e9;
            double allBusy = CpuSample.busy(cpu0, CpuSample.take());
            if (checkAll != check) {
                throw new IllegalStateException("decoded pixel counts differ between the two passes");
            }
            Machine.log("  %d threads: %.2f s, %.0f images/s", cores, all, jpegs.length / all);
            return new Decode(one, all, cores, bytes, jpegs.length, oneBusy, allBusy);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Decodes fully and returns the pixel count (so the work cannot be optimised away). */
    private static long decode(byte[] jpeg) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
            if (image == null) {
                throw new IllegalStateException("ImageIO could not decode a generated JPEG");
            }
            return (long) image.getWidth() * image.getHeight() + (image.getRGB(0, 0) & 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ platform API

    private String createDataset() {
        String name = "ingest-bench-" + Instant.now().toString().replace(':', '-') + "-" + Text.randomHex(3);
        JsonObject body = new JsonObject().put("name", name).put("task", "detect")
                .put("description", "Throw-away dataset of bench/run-ingest-bench.sh (IngestBench); safe to delete.");
        JsonObject data = api.call("POST", "/api/datasets", BodyPublishers.ofString(body.encode()), "application/json",
                201).getJsonObject("data");
        String id = data.getString("id");
        Machine.log("created dataset %s (%s)", id, name);
        return id;
    }

    private JsonObject getDataset() {
        return api.call("GET", "/api/datasets/" + datasetId, null, null, 200).getJsonObject("data");
    }

    /** One upload and its job, with the client's and the server's timings. */
    record Ingest(String label, JsonObject job, double uploadSeconds, double processingSeconds, double endToEndSeconds,
            double clientQueuedSeconds, double cpuBusy, long zipBytes) {

        String state() {
            return job.getString("state");
        }

        int count(String field) {
            Integer v = job.getInteger(field);
            return v == null ? -1 : v;
        }

        boolean succeeded(int images) {
            return "succeeded".equals(state()) && count("added") == images && count("failed") == 0;
        }

        /** Server timestamps: createdAt → startedAt (queued), startedAt → finishedAt (running), NaN if absent. */
        double serverQueuedSeconds() {
            return between(job.getString("createdAt"), job.getString("startedAt"));
        }

        double serverRunningSeconds() {
            return between(job.getString("startedAt"), job.getString("finishedAt"));
        }

        String summary() {
            return String.format(Locale.ROOT, "job %s %s: total %d, processed %d, added %d, duplicates %d, failed %d%s",
                    job.getString("id"), state(), count("total"), count("processed"), count("added"),
                    count("duplicates"), count("failed"),
                    job.getString("message") == null ? "" : ", message: " + job.getString("message"));
        }

        private static double between(String from, String to) {
            try {
                if (from == null || to == null) {
                    return Double.NaN;
                }
                return Duration.between(Instant.parse(from), Instant.parse(to)).toNanos() / 1e9;
            } catch (DateTimeParseException e) {
                return Double.NaN;
            }
        }
    }

    /**
     * POSTs the zip as {@code multipart/form-data} (field {@code split} = train, field {@code file} = the zip,
     * streamed from disk with a known Content-Length), then polls the job every 100 ms until it leaves
     * queued/running.
     */
    private Ingest ingest(String label, Generated generated, int images) throws InterruptedException {
        Path zip = generated.zip();
        long zipBytes = generated.zipBytes();
        Multipart multipart = new Multipart("----ingest-bench-").field("split", "train");
        BodyPublisher body = multipart.streamingFile("file", zip.getFileName().toString(), "application/zip", zip);
        Machine.log("%s: POST /api/datasets/%s/images (%.1f MB, multipart, streamed from disk)...", label, datasetId,
                body.contentLength() / 1e6);
        CpuSample cpu0 = CpuSample.take();
        long t0 = System.nanoTime();
        JsonObject accepted = api.call("POST", "/api/datasets/" + datasetId + "/images", body,
                multipart.contentType(), Duration.ofMinutes(30), 202).getJsonObject("data");
        long tAccepted = System.nanoTime();
        String jobId = accepted.getString("id");
        double upload = (tAccepted - t0) / 1e9;
        Machine.log("  202 after %.2f s (%.1f MB/s): job %s %s", upload, zipBytes / 1e6 / upload, jobId,
                accepted.getString("state"));

        JsonObject job = accepted;
        long tRunning = -1;
        long lastLog = System.nanoTime();
        long deadline = tAccepted + TimeUnit.SECONDS.toNanos(options.timeoutSeconds);
        String path = "/api/datasets/" + datasetId + "/ingests/" + jobId;
        while (true) {
            String state = job.getString("state");
            long now = System.nanoTime();
            if ("running".equals(state) && tRunning < 0) {
                tRunning = now;
            }
            if (!"queued".equals(state) && !"running".equals(state)) {
                break;
            }
            if (now > deadline) {
                CpuSample cpu1 = CpuSample.take();
                problems.add(label + ": job " + jobId + " still " + state + " after " + options.timeoutSeconds
                        + " s (--timeout)");
                return new Ingest(label, job, upload, Double.NaN, Double.NaN, Double.NaN, CpuSample.busy(cpu0, cpu1),
                        zipBytes);
            }
            if (now - lastLog > TimeUnit.SECONDS.toNanos(2)) {
                Machine.log("  %s: %,d / %,d processed (%.1f s since 202)", state, intOf(job, "processed"), intOf(job, "total"),
                        (now - tAccepted) / 1e9);
                lastLog = now;
            }
            Thread.sleep(POLL_MILLIS);
            job = api.call("GET", path, null, null, 200).getJsonObject("data");
        }
        long tDone = System.nanoTime();
        CpuSample cpu1 = CpuSample.take();
        double processing = (tDone - tAccepted) / 1e9;
        double endToEnd = (tDone - t0) / 1e9;
        double queued = tRunning < 0 ? Double.NaN : (tRunning - tAccepted) / 1e9;
        Ingest result = new Ingest(label, job, upload, processing, endToEnd, queued, CpuSample.busy(cpu0, cpu1),
                zipBytes);
        Machine.log("  %s after %.2f s (end-to-end %.2f s, %.0f images/s): %s", result.state(), processing, endToEnd,
                images / endToEnd, result.summary());
        return result;
    }

    private void checkDataset(JsonObject dataset) {
        Integer count = dataset.getInteger("imageCount");
        Machine.log("dataset %s: status %s, imageCount %s, totalBytes %s", datasetId, dataset.getString("status"), count,
                dataset.getValue("totalBytes"));
        if (count == null || count != options.images) {
            problems.add("dataset imageCount is " + count + " after the first upload, expected " + options.images);
        }
    }

    private void checkDuplicates(Ingest again) {
        if (!"succeeded".equals(again.state()) || again.count("duplicates") != options.images
                || again.count("added") != 0) {
            problems.add("re-upload: expected succeeded with " + options.images + " duplicates and 0 added; "
                    + again.summary());
            printJobErrors(again.job());
        }
    }

    private void printJobErrors(JsonObject job) {
        JsonArray errors = job.getJsonArray("errors");
        if (errors == null || errors.isEmpty()) {
            return;
        }
        System.out.printf("  job %s: %d file error(s), the first ones:%n", job.getString("id"), errors.size());
        for (int i = 0; i < Math.min(20, errors.size()); i++) {
            Object e = errors.getValue(i);
            if (e instanceof JsonObject o) {
                System.out.printf("    %s: %s%n", o.getString("file"), o.getString("reason"));
            } else {
                System.out.printf("    %s%n", e);
            }
        }
    }

    record Export(double postSeconds, double downloadSeconds, long lines, long bytes, int version, int retries409) {
    }

    /** POST export (retried while the dataset is still "processing", 409), then GET the signed URL without auth. */
    private Export export() throws InterruptedException {
        Machine.log("export: POST /api/datasets/%s/export...", datasetId);
        int retries = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonObject data;
        double post;
        while (true) {
            long t0 = System.nanoTime();
            HttpResponse<String> response = api.send("POST", "/api/datasets/" + datasetId + "/export",
                    BodyPublishers.noBody(), null, Duration.ofMinutes(10));
            post = (System.nanoTime() - t0) / 1e9;
            if (response.statusCode() == 409 && System.nanoTime() < deadline) {
                retries++;
                Thread.sleep(200);
                continue;
            }
            data = PlatformApi.expect(response, "POST", "export", 200, 201).getJsonObject("data");
            break;
        }
        String url = data.getString("url");
        if (url == null || url.isBlank()) {
            problems.add("export answered without a url: " + Text.abbreviate(data.encode(), 400));
            return new Export(post, Double.NaN, -1, -1, intOf(data, "version"), retries);
        }
        URI target = URI.create(options.gateway + "/").resolve(url);
        Machine.log("  version %d after %.2f s%s; downloading the NDJSON (no auth)...", intOf(data, "version"), post,
                retries > 0 ? " (after " + retries + " answer(s) 409: dataset still processing)" : "");
        long t0 = System.nanoTime();
        long lines = 0;
        long bytes = 0;
        int last = '\n';
        try {
            HttpResponse<InputStream> response = api.http().send(HttpRequest.newBuilder(target)
                    .timeout(Duration.ofMinutes(10)).GET().build(), BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    problems.add("export download answered " + response.statusCode() + ": "
                            + Text.abbreviate(new String(in.readNBytes(600), StandardCharsets.UTF_8), 400));
                    return new Export(post, Double.NaN, -1, -1, intOf(data, "version"), retries);
                }
                byte[] buffer = new byte[1 << 16];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                    if (n > 0) {
                        last = buffer[n - 1];
                    }
                    bytes += n;
                }
            }
        } catch (IOException e) {
            problems.add("export download failed: " + e);
            return new Export(post, Double.NaN, -1, -1, intOf(data, "version"), retries);
        }
        if (last != '\n') {
            lines++; // an unterminated last line
        }
        double download = (System.nanoTime() - t0) / 1e9;
        Machine.log("  %,d lines, %.1f MB in %.2f s", lines, bytes / 1e6, download);
        if (lines != options.images + 1L) {
            problems.add("export NDJSON has " + lines + " lines, expected " + (options.images + 1)
                    + " (one dataset line + one per image)");
        }
        return new Export(post, download, lines, bytes, intOf(data, "version"), retries);
    }

    // ------------------------------------------------------------------------------------------------------ report

    private void printSettings(int cores) {
        Machine.printMachine(cores);
        Machine.printJavaAndLoad();
        System.out.println("== settings");
        System.out.printf(Locale.ROOT, "  images            : %,d JPEGs of %dx%d, quality %.2f, seed %d, noise %d,"
                + " classes %s, YOLO zip (entries STORED), split train%n", options.images, options.width,
                options.height, options.quality, options.seed, options.noise, CLASS_NAMES);
        if (options.localOnly) {
            System.out.println("  platform          : not used (--local-only)");
        } else {
            System.out.printf("  platform          : %s (public API, HTTP/1.1), poll every %d ms, job timeout %d s,"
                    + " %s%n", options.gateway, POLL_MILLIS, options.timeoutSeconds,
                    options.keep ? "--keep (dataset left in place)" : "dataset deleted at the end");
        }
        System.out.println();
    }

    private void report(Generated gen, Decode decode, Ingest first, Ingest again, Export export, JsonObject dataset,
            int cores) {
        int n = options.images;
        double zipMb = gen.zipBytes() / 1e6;
        System.out.println();
        System.out.printf(Locale.ROOT, "== results (%,d JPEGs of %dx%d, JPEG %.1f KB on average (%.1f-%.1f KB), zip"
                + " %.1f MB STORED, generated in %.1f s)%n", n, options.width, options.height,
                gen.jpegBytes() / 1e3 / n, gen.minJpeg() / 1e3, gen.maxJpeg() / 1e3, zipMb, gen.seconds());
        Table table = Table.print("  %-50s %9s %10s %9s %9s", "step", "seconds", "images/s", "MB/s", "CPU busy");
        if (first != null) {
            ingestRows(table, first, n, zipMb);
        }
        if (again != null) {
            ingestRows(table, again, n, zipMb);
        }
        if (export != null) {
            row(table, "export: POST export (render + sign URL)", export.postSeconds(), n / export.postSeconds(),
                    Double.NaN, Double.NaN);
            row(table, String.format(Locale.ROOT, "export: download NDJSON (%,d lines, %.1f MB)", export.lines(),
                    export.bytes() / 1e6), export.downloadSeconds(), Double.NaN,
                    export.bytes() / 1e6 / export.downloadSeconds(), Double.NaN);
        }
        row(table, "local decode, ImageIO, 1 thread", decode.oneThreadSeconds(), decode.oneThreadRate(),
                decode.jpegBytes() / 1e6 / decode.oneThreadSeconds(), decode.oneThreadCpuBusy());
        row(table, "local decode, ImageIO, " + decode.threads() + " threads (all cores)", decode.allCoresSeconds(),
                decode.allCoresRate(), decode.jpegBytes() / 1e6 / decode.allCoresSeconds(), decode.allCoresCpuBusy());
        System.out.println("  (images/s of an upload row: images of the zip / its seconds; MB/s: zip MB / seconds;"
                + " CPU busy: share of all CPUs busy on the machine during the step, every process counted)");
        if (first != null) {
            System.out.printf(Locale.ROOT, "  server timestamps of the first job: queued %.2f s (createdAt->startedAt),"
                    + " running %.2f s (startedAt->finishedAt)%s%n", first.serverQueuedSeconds(),
                    first.serverRunningSeconds(), Double.isNaN(first.clientQueuedSeconds()) ? ""
                            : String.format(Locale.ROOT, "; polls first saw it running %.2f s after the 202",
                                    first.clientQueuedSeconds()));
        }
        if (dataset != null) {
            System.out.printf("  dataset after the first upload: status %s, imageCount %s, totalBytes %s%n",
                    dataset.getString("status"), dataset.getValue("imageCount"), dataset.getValue("totalBytes"));
        }

        if (first != null && first.succeeded(n)) {
            double e2e = n / first.endToEndSeconds();
            System.out.println();
            System.out.println("== ratios (ingest end-to-end images/s over local decode images/s; <1: slower than"
                    + " decoding alone)");
            double processing = n / first.processingSeconds();
            ratio("ingest end-to-end / local decode 1 thread", e2e, decode.oneThreadRate());
            ratio("ingest end-to-end / local decode " + decode.threads() + " threads", e2e, decode.allCoresRate());
            ratio("ingest processing / local decode " + decode.threads() + " threads", processing,
                    decode.allCoresRate());
            if (again != null && "succeeded".equals(again.state())) {
                ratio("duplicate re-upload / first ingest (end-to-end)", n / again.endToEndSeconds(), e2e);
            }
        }
        for (String note : notes) {
            System.out.println("  " + note);
        }
    }

    private static void ratio(String label, double a, double b) {
        System.out.printf(Locale.ROOT, "  %-50s x%.3f  (%,.0f vs %,.0f images/s)%n", label + ":", a / b, a, b);
    }

    private static void ingestRows(Table table, Ingest in, int n, double zipMb) {
        String label = in.label();
        row(table, label + ": upload (POST -> 202)", in.uploadSeconds(), Double.NaN, zipMb / in.uploadSeconds(),
                Double.NaN);
        row(table, label + ": processing (202 -> " + in.state() + ")", in.processingSeconds(),
                n / in.processingSeconds(), Double.NaN, Double.NaN);
        row(table, label + ": end-to-end (POST -> done)", in.endToEndSeconds(), n / in.endToEndSeconds(),
                zipMb / in.endToEndSeconds(), in.cpuBusy());
    }

    private static void row(Table table, String label, double seconds, double rate, double mbPerSecond,
            double cpuBusy) {
        table.row(Text.abbreviate(label, 50), Table.number(seconds, "%.2f"), Table.number(rate, "%,.0f"),
                Table.number(mbPerSecond, "%.1f"), Table.percent(cpuBusy));
    }

    private int finish() {
        if (problems.isEmpty()) {
            System.out.println();
            System.out.println(options.localOnly ? "local figures only (--local-only)"
                    : "all checks passed (every image added once, then every one a duplicate, export complete)");
            return 0;
        }
        BenchMain.printInvalid("CHECKS FAILED: these figures are NOT valid", problems);
        return 2;
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private static int intOf(JsonObject o, String field) {
        Object v = o.getValue(field);
        return v instanceof Number n ? n.intValue() : -1;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }

    // ------------------------------------------------------------------------------------------------- options

    static final class Options extends PlatformOptions {
        static final String USAGE = """
                usage: IngestBench [options]
                  --gateway URL          the platform's gateway (default http://127.0.0.1:$PLATFORM_GATEWAY_PORT, 8080)
                  --key KEY              API key (default: the bootstrap admin key in
                                         $PLATFORM_DATA_DIR/secrets/bootstrap-api-key, else ROOT/.data/secrets/...)
                  --root PATH            checkout whose .data/secrets/bootstrap-api-key to read (default .)
                  --images N             JPEGs in the zip (default 1000)
                  --width W, --height H  image size in pixels (default 640 x 480)
                  --quality Q            JPEG quality 0..1 (default 0.85)
                  --noise A              amplitude of the per-pixel noise, 0..255 (default 16; larger: bigger JPEGs)
                  --seed S               seed of the generated images (default 42; same seed, same zip)
                  --timeout S            seconds to wait for one ingest job to finish (default 1800)
                  --keep                 leave the dataset in place (default: move it to the trash and empty it)
                  --empty-trash-anyway   empty the trash even when it holds items that are not this run's
                  --local-only           only generate the images and measure the local decode (no platform)
                  -h, --help             this text
                """;

        int images = 1000;
        int width = 640;
        int height = 480;
        float quality = 0.85f;
        int noise = 16;
        long seed = 42;
        int timeoutSeconds = 1800;

        @Override
        void option(String name, String value) {
            switch (name) {
                case "--images", "-n" -> images = OptionValues.positive(name, value);
                case "--width" -> width = OptionValues.atLeast(name, value, 32);
                case "--height" -> height = OptionValues.atLeast(name, value, 32);
                case "--quality" -> quality = quality(value);
                case "--noise" -> noise = Math.min(255, OptionValues.nonNegative(name, value));
                case "--seed" -> seed = OptionValues.number(name, value, Long::parseLong);
                case "--timeout" -> timeoutSeconds = OptionValues.positive(name, value);
                default -> super.option(name, value);
            }
        }

        private static float quality(String value) {
            float q = OptionValues.number("--quality", value, Float::parseFloat);
            if (!(q > 0 && q <= 1)) {
                throw new IllegalArgumentException("--quality must be in (0, 1], got " + value);
            }
            return q;
        }
    }
}
