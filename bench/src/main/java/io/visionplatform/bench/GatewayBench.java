package io.visionplatform.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Benchmark program (not a test) for the API gateway. In one run it measures the same keep-alive
 * {@code GET /api/datasets}
 * <ol>
 * <li><b>direct</b> to an in-process echo upstream (Vert.x),</li>
 * <li>through the <b>gateway</b>-service (a separate JVM started here, API-key authentication and rate limiting
 * on, with the unlimited bootstrap admin key), whose {@code datasets} upstream is the echo server,</li>
 * <li>through <b>nginx</b> as a plain reverse proxy in front of the same echo server (when an nginx binary is
 * given),</li>
 * </ol>
 * and prints throughput, p50/p99/max latency and the ratios between them. Closed-loop load: {@code concurrency}
 * keep-alive connections, each with one request in flight.
 *
 * <p>
 * Started by {@code bench/run-gateway-bench.sh}, which builds things and exports the stack's environment
 * ({@code .data/stack.env}); the gateway JVM inherits it. Every child process started here (gateway, nginx) is
 * stopped in a finally block and a shutdown hook, by its own handle: nothing else is ever signalled.
 */
public final class GatewayBench {

    private static final String PATH = "/api/datasets";

    /** ~200 bytes of JSON, the shape of a small platform answer. */
    private static final Buffer ECHO_BODY = Buffer.buffer(("{\"success\":true,\"data\":{\"items\":[{\"id\":"
            + "\"dataset_01HZY8Q4K3M2N7P5R6S8T9V0WX\",\"name\":\"coco8-bench\",\"task\":\"detect\",\"images\":8,"
            + "\"status\":\"ready\"}],\"total\":1,\"page\":1,\"pageSize\":20},\"meta\":{\"source\":\"bench-echo\"}}")
            .getBytes(StandardCharsets.UTF_8));
    private static final Buffer READY_BODY = Buffer.buffer("{\"status\":\"UP\"}");

    private final Options options;
    private final List<Process> children = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private GatewayBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        BenchMain.main(args, Options::new, Options.USAGE, options -> new GatewayBench(options).run());
    }

    // ------------------------------------------------------------------------------------------------------------

    private int run() throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopChildren, "bench-cleanup"));
        options.workDir = options.workDir.toAbsolutePath().normalize();
        Files.createDirectories(options.workDir);
        int cores = Runtime.getRuntime().availableProcessors();
        Vertx upstreamVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.echoThreads(cores)));
        Vertx loadVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.loadThreads(cores)));
        List<Result> results = new ArrayList<>();
        try {
            int echoPort = startEcho(upstreamVertx, options.echoThreads(cores));
            Machine.log("echo upstream listening on 127.0.0.1:%d (%d event loop(s))", echoPort, options.echoThreads(cores));

            List<Target> targets = new ArrayList<>();
            targets.add(new Target("direct", echoPort, null));

            Target gateway = null;
            if (options.targets.contains("gateway")) {
                gateway = startGateway(echoPort);
                targets.add(gateway);
            }
            Target nginx = null;
            if (options.targets.contains("nginx")) {
                nginx = startNginx(echoPort);
                if (nginx != null) {
                    targets.add(nginx);
                }
            }

            printSettings(cores, echoPort, gateway, nginx);

            for (Target target : targets) {
                probe(target);
            }
            results.addAll(measure(loadVertx, targets));
        } finally {
            stopChildren();
            close(loadVertx);
            close(upstreamVertx);
        }
        return report(results);
    }

    // ---------------------------------------------------------------------------------------------- echo upstream

    private static int startEcho(Vertx vertx, int instances) throws Exception {
        int port = freePort();
        CountDownLatch started = new CountDownLatch(1);
        Throwable[] failure = new Throwable[1];
        vertx.deployVerticle(() -> new EchoVerticle(port), new DeploymentOptions().setInstances(instances))
                .onComplete(ar -> {
                    failure[0] = ar.cause();
                    started.countDown();
                });
        if (!started.await(30, TimeUnit.SECONDS) || failure[0] != null) {
            throw new IllegalStateException("echo server did not start", failure[0]);
        }
        return port;
    }

    /** Answers {@code /q/health/ready} with {@code {"status":"UP"}} and any other request with a small JSON body. */
    static final class EchoVerticle extends AbstractVerticle {
        private final int port;

        EchoVerticle(int port) {
            this.port = port;
        }

        @Override
        public void start(Promise<Void> startPromise) {
            vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                    .requestHandler(request -> {
                        // Drain any body, then answer (GETs have none; anything else still gets a 200).
                        request.end().onComplete(ignored -> {
                            Buffer body = request.path().startsWith("/q/health") ? READY_BODY : ECHO_BODY;
                            request.response()
                                    .putHeader("Content-Type", "application/json")
                                    .end(body);
                        });
                    })
                    .listen()
                    .<Void> mapEmpty()
                    .onComplete(startPromise);
        }
    }

    // ------------------------------------------------------------------------------------------------- gateway

    private Target startGateway(int echoPort) throws Exception {
        Path jar = options.gatewayJar;
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("gateway jar not found: " + jar + " (build it: mvn -B -q install -DskipTests"
                    + " -De2e.skip=true -pl libs/platform-common,gateway-service -am)");
        }
        int port = freePort();
        String apiKey = "ul_" + Text.randomHex(20);
        Path logFile = options.workDir.resolve("gateway.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + options.gatewayHeap);
        command.addAll(options.gatewayJvmOpts);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        Map<String, String> env = builder.environment();
        // An empty value (e.g. PLATFORM_OIDC_URL='' without Keycloak) must not override the gateway's default.
        env.entrySet().removeIf(e -> e.getValue() == null || e.getValue().isEmpty());
        env.put("PLATFORM_GATEWAY_PORT", Integer.toString(port));
        env.put("PLATFORM_DATASET_URL", "http://127.0.0.1:" + echoPort);
        env.put("PLATFORM_KEY_HMAC_SECRET", Text.randomHex(32));
        env.put("PLATFORM_BOOTSTRAP_API_KEY", apiKey);
        env.put("PLATFORM_GATEWAY_BOOTSTRAP_ADMIN_USERNAME", "bench-admin");
        if (options.gatewayDatabase != null) {
            env.put("PLATFORM_DATABASE", options.gatewayDatabase);
        }
        Machine.log("starting gateway: %s (port %d, log %s)", String.join(" ", command), port, logFile);
        long t0 = System.nanoTime();
        Process process = builder.start();
        synchronized (children) {
            children.add(process);
        }
        String ready = "http://127.0.0.1:" + port + "/q/health/ready";
        java.net.http.HttpClient probe = java.net.http.HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.gatewayReadyTimeout);
        int lastStatus = -1;
        String lastBody = "";
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway exited (code " + process.exitValue()
                        + ") before it was ready; last lines of " + logFile + ":\n" + tail(logFile, 40));
            }
            try {
                var response = probe.send(java.net.http.HttpRequest.newBuilder(URI.create(ready))
                        .timeout(Duration.ofSeconds(5)).GET().build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                lastStatus = response.statusCode();
                lastBody = response.body();
                if (lastStatus == 200) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gateway not ready after " + options.gatewayReadyTimeout
                        + " s (last readiness answer " + lastStatus + " " + abbreviate(lastBody, 400) + "); last lines of "
                        + logFile + ":\n" + tail(logFile, 40));
            }
            Thread.sleep(500);
        }
        Machine.log("gateway ready on 127.0.0.1:%d after %.1f s (pid %d)", port, (System.nanoTime() - t0) / 1e9,
                process.pid());
        return new Target("gateway", port, "Bearer " + apiKey);
    }

    // --------------------------------------------------------------------------------------------------- nginx

    private Target startNginx(int echoPort) throws Exception {
        if (options.nginxBinary == null) {
            notes.add("nginx row skipped: " + (options.nginxSkipReason != null ? options.nginxSkipReason
                    : "no nginx binary given (--nginx PATH)"));
            return null;
        }
        int port = freePort();
        Path dir = options.workDir.resolve("nginx");
        Files.createDirectories(dir.resolve("logs"));
        Path conf = dir.resolve("nginx.conf");
        int workers = options.nginxWorkers;
        String config = """
                daemon off;
                master_process %s;
                worker_processes %d;
                pid %s;
                error_log %s warn;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    upstream echo {
                        server 127.0.0.1:%d;
                        keepalive 64;
                    }
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            proxy_pass http://echo;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                        }
                    }
                }
                """.formatted(workers > 1 ? "on" : "off", workers, dir.resolve("nginx.pid"),
                dir.resolve("logs/error.log"), echoPort, port);
        Files.writeString(conf, config);
        List<String> command = List.of(options.nginxBinary, "-e", dir.resolve("logs/error.log").toString(), "-p",
                dir.toString() + "/", "-c", conf.toString());
        Path out = dir.resolve("logs/stdout.log");
        Machine.log("starting nginx: %s", String.join(" ", command));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        synchronized (children) {
            children.add(process);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!portOpen(port)) {
            if (!process.isAlive()) {
                notes.add("nginx row skipped: nginx exited with code " + process.exitValue() + ": "
                        + abbreviate(tail(out, 5) + " " + tail(dir.resolve("logs/error.log"), 5), 600));
                return null;
            }
            if (System.nanoTime() > deadline) {
                notes.add("nginx row skipped: nginx did not listen on port " + port + " within 15 s");
                return null;
            }
            Thread.sleep(100);
        }
        Machine.log("nginx listening on 127.0.0.1:%d (pid %d, %d worker(s))", port, process.pid(), workers);
        return new Target("nginx", port, null);
    }

    // ---------------------------------------------------------------------------------------------------- load

    /** One request through the target before measuring: fail fast with what it answered. */
    private void probe(Target target) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port + PATH))
                .timeout(Duration.ofSeconds(10)).GET();
        if (target.authorization != null) {
            request.header("Authorization", target.authorization);
        }
        var response = client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("probe of " + target.name + " GET " + PATH + " answered "
                    + response.statusCode() + ": " + abbreviate(response.body(), 600));
        }
        if (target.name.equals("gateway")) {
            // Our echo never sets these; their presence/absence shows what the limiter decided.
            List<String> limitHeaders = new ArrayList<>();
            response.headers().map().forEach((name, values) -> {
                if (name.toLowerCase(Locale.ROOT).startsWith("x-ratelimit")) {
                    limitHeaders.add(name + "=" + String.join(",", values));
                }
            });
            Machine.log("probe gateway: 200, %d-byte body, rate-limit headers: %s", response.body().length(),
                    limitHeaders.isEmpty() ? "none (unlimited account)" : limitHeaders);
        }
    }

    /**
     * Each target gets its warm-up once, then the measured time is cut into {@code rounds} slices taken in turn
     * (direct, gateway, nginx, direct, ...), so background load that comes and goes hits every target alike.
     */
    private List<Result> measure(Vertx vertx, List<Target> targets) throws InterruptedException {
        Map<Target, HttpClient> clients = new LinkedHashMap<>();
        Map<Target, Run> runs = new LinkedHashMap<>();
        for (Target target : targets) {
            clients.put(target, vertx.createHttpClient(new HttpClientOptions()
                    .setDefaultHost("127.0.0.1")
                    .setDefaultPort(target.port)
                    .setKeepAlive(true)
                    .setPipelining(false)
                    .setTcpNoDelay(true)
                    .setIdleTimeout(120),
                    new PoolOptions().setHttp1MaxSize(options.concurrency)));
            runs.put(target, new Run(target.name));
        }
        long sliceNanos = TimeUnit.MILLISECONDS.toNanos(options.measureSeconds * 1000L / options.rounds);
        for (int round = 1; round <= options.rounds; round++) {
            for (Target target : targets) {
                long warmNanos = round == 1 ? TimeUnit.SECONDS.toNanos(options.warmupSeconds)
                        : TimeUnit.MILLISECONDS.toNanos(options.rewarmMillis);
                Run run = runs.get(target);
                CpuSample before = CpuSample.take(ourPids());
                slice(vertx, clients.get(target), target, run, warmNanos, sliceNanos);
                CpuSample after = CpuSample.take(ourPids());
                run.addCpu(before, after);
                Machine.log("  round %d/%d %-7s: %.0f req/s, p50 %.2f ms, p99 %.2f ms so far; other processes used %s of the"
                        + " CPUs, load avg %s", round, options.rounds, target.name, run.result().throughput(),
                        run.result().p50Millis(), run.result().p99Millis(),
                        CpuSample.othersPercent(before, after), Machine.loadAverage());
            }
        }
        clients.values().forEach(HttpClient::close);
        List<Result> results = new ArrayList<>();
        runs.values().forEach(run -> results.add(run.result()));
        return results;
    }

    private void slice(Vertx vertx, HttpClient client, Target target, Run run, long warmNanos, long measureNanos)
            throws InterruptedException {
        int concurrency = options.concurrency;
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setURI(PATH)
                .setIdleTimeout(10_000);
        if (target.authorization != null) {
            request.putHeader("Authorization", target.authorization);
        }
        run.startSlice(System.nanoTime() + warmNanos, measureNanos);
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            // getOrCreateContext from a non-Vert.x thread: a new context per loop, spread over the event loops
            Context context = vertx.getOrCreateContext();
            context.runOnContext(ignored -> loop(vertx, client, request, run, done));
        }
        long waitNanos = run.measureEnd - System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        boolean drained = done.await(Math.max(1, waitNanos), TimeUnit.NANOSECONDS);
        if (!drained) {
            run.errorKinds.computeIfAbsent("requests still in flight 15 s after the end (not drained)",
                    k -> new LongAdder()).add(done.getCount());
            throw new IllegalStateException(target.name + ": " + done.getCount()
                    + " requests still in flight 15 s after the end of the slice");
        }
    }

    private List<Long> ourPids() {
        List<Long> pids = new ArrayList<>();
        pids.add(ProcessHandle.current().pid());
        synchronized (children) {
            for (Process child : children) {
                pids.add(child.pid());
                child.descendants().forEach(d -> pids.add(d.pid()));
            }
        }
        return pids;
    }

    private void loop(Vertx vertx, HttpClient client, RequestOptions request, Run run, CountDownLatch done) {
        long start = System.nanoTime();
        if (start >= run.measureEnd) {
            done.countDown();
            return;
        }
        client.request(request)
                .compose(req -> req.send())
                .compose(response -> response.body().map(body -> {
                    if (response.statusCode() != 200) {
                        throw new BadStatus(response.statusCode(), body.toString());
                    }
                    return body;
                }))
                .onComplete(ar -> {
                    long end = System.nanoTime();
                    run.record(start, end, ar.failed() ? ar.cause() : null);
                    if (ar.failed() && !(ar.cause() instanceof BadStatus)) {
                        // connection-level failure: do not spin
                        vertx.setTimer(10, t -> loop(vertx, client, request, run, done));
                    } else {
                        loop(vertx, client, request, run, done);
                    }
                });
    }

    static final class BadStatus extends RuntimeException {
        final int status;

        BadStatus(int status, String body) {
            super("HTTP " + status + ": " + abbreviate(body, 300), null, false, false);
            this.status = status;
        }
    }

    /** One target's measurement: completions inside a slice's measured window count, warm-up ones do not. */
    static final class Run {
        final String name;
        volatile long measureStart;
        volatile long measureEnd;
        long measuredNanos;
        long foreignCpuTicks;
        long cpuTicks;
        final Histogram latencyMicros = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        final LongAdder ok = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder warmupErrors = new LongAdder();
        final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
        final Map<String, String> errorSamples = new ConcurrentHashMap<>();

        Run(String name) {
            this.name = name;
        }

        void startSlice(long measureStartNanos, long measureNanos) {
            measureStart = measureStartNanos;
            measureEnd = measureStartNanos + measureNanos;
            measuredNanos += measureNanos;
        }

        void addCpu(CpuSample before, CpuSample after) {
            if (before != null && after != null && after.total() > before.total()) {
                foreignCpuTicks += Math.max(0, (after.busy() - before.busy()) - (after.ours() - before.ours()));
                cpuTicks += after.total() - before.total();
            }
        }

        void record(long start, long end, Throwable failure) {
            boolean measured = end >= measureStart && end < measureEnd;
            if (failure != null) {
                String kind = failure instanceof BadStatus bad ? "HTTP " + bad.status
                        : failure.getClass().getSimpleName();
                errorKinds.computeIfAbsent((measured ? "" : "[warm-up] ") + kind, k -> new LongAdder()).increment();
                errorSamples.putIfAbsent(kind, String.valueOf(failure.getMessage()));
                (measured ? errors : warmupErrors).increment();
                return;
            }
            if (measured) {
                ok.increment();
                latencyMicros.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(end - start),
                        latencyMicros.getHighestTrackableValue()));
            }
        }

        Result result() {
            Map<String, Long> kinds = new LinkedHashMap<>();
            errorKinds.forEach((k, v) -> kinds.put(k, v.sum()));
            double foreign = cpuTicks == 0 ? Double.NaN : (double) foreignCpuTicks / cpuTicks;
            return new Result(name, ok.sum() + errors.sum(), errors.sum(), warmupErrors.sum(),
                    Math.max(1, measuredNanos) / 1e9, latencyMicros.copy(), kinds, Map.copyOf(errorSamples), foreign);
        }
    }

    record Result(String name, long requests, long errors, long warmupErrors, double seconds, Histogram latency,
            Map<String, Long> errorKinds, Map<String, String> errorSamples, double foreignCpu) {

        double throughput() {
            return (requests - errors) / seconds;
        }

        double p50Millis() {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(50) / 1000.0;
        }

        double p99Millis() {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(99) / 1000.0;
        }

        double maxMillis() {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1000.0;
        }

        boolean clean() {
            return errors == 0 && warmupErrors == 0 && errorKinds.isEmpty() && requests > 0;
        }
    }

    record Target(String name, int port, String authorization) {
    }

    // -------------------------------------------------------------------------------------------------- report

    private void printSettings(int cores, int echoPort, Target gateway, Target nginx) {
        Machine.printMachine(cores);
        System.out.printf("  java              : %s %s (%s), used for the load generator and the gateway%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vendor"));
        if (nginx != null) {
            System.out.printf("  nginx             : %s%n", nginxVersion());
        }
        System.out.println("== settings");
        System.out.printf("  request           : GET %s (keep-alive, HTTP/1.1), expect 200 with a %d-byte JSON body%n", PATH,
                ECHO_BODY.length());
        System.out.printf("  load              : closed loop, %d connections x 1 request in flight; per target %d s"
                + " warm-up, then %d s measured in %d slices taken in turn with the other targets (%d ms re-warm-up"
                + " before each later slice)%n", options.concurrency, options.warmupSeconds, options.measureSeconds,
                options.rounds, options.rewarmMillis);
        System.out.printf("  load average      : %s (1 min) at start%n", Machine.loadAverage());
        System.out.printf("  load generator    : Vert.x %s HttpClient in this JVM, %d event loop(s)%n",
                vertxVersion(), options.loadThreads(cores));
        System.out.printf("  upstream          : in-process Vert.x echo on 127.0.0.1:%d, %d event loop(s)%n", echoPort,
                options.echoThreads(cores));
        if (gateway != null) {
            String redis = System.getenv("PLATFORM_REDIS_URL");
            System.out.printf("  gateway           : %s, -Xmx%s%s, port %d, database %s%n", options.gatewayJar,
                    options.gatewayHeap, options.gatewayJvmOpts.stream().map(o -> " " + o).reduce("", String::concat),
                    gateway.port,
                    options.gatewayDatabase != null ? options.gatewayDatabase : "platform_gateway (default)");
            System.out.printf("  gateway auth/limit: API key (bootstrap admin 'bench-admin', enterprise, custom limits"
                    + " 0 = unlimited); limiter %s%n", redis == null || redis.isEmpty() ? "in memory"
                            : "Redis " + redis + " (an unlimited account is decided without a Redis call)");
        }
        if (nginx != null) {
            System.out.printf("  nginx             : reverse proxy, %d worker(s), upstream keepalive 64, access_log"
                    + " off, port %d%n", options.nginxWorkers, nginx.port);
        }
        System.out.println();
    }

    private int report(List<Result> results) {
        System.out.println();
        System.out.printf("== results (%d connections, %d s measured per target in %d interleaved rounds, after %d s"
                + " warm-up)%n", options.concurrency, options.measureSeconds, options.rounds, options.warmupSeconds);
        Table table = Table.printWithRowFormat("  %-8s %11s %8s %10s %9s %9s %9s %10s",
                "  %-8s %,11d %,8d %,10.0f %9.2f %9.2f %9.2f %10s", "target", "requests", "errors", "req/s", "p50 ms",
                "p99 ms", "max ms", "other CPU");
        for (Result r : results) {
            table.row(r.name, r.requests, r.errors, r.throughput(), r.p50Millis(), r.p99Millis(), r.maxMillis(),
                    Double.isNaN(r.foreignCpu) ? "?" : String.format(Locale.ROOT, "%.0f%%", r.foreignCpu * 100));
        }
        System.out.println("  (other CPU: share of all CPUs used by processes other than this benchmark, the gateway and"
                + " nginx while a target was measured; high values mean the figures are disturbed)");
        for (String note : notes) {
            System.out.println("  " + note);
        }

        Map<String, Result> byName = new LinkedHashMap<>();
        results.forEach(r -> byName.put(r.name, r));
        System.out.println();
        System.out.println("== ratios (latency: >1 is slower; throughput: <1 is fewer requests/s)");
        ratio(byName.get("gateway"), byName.get("direct"));
        ratio(byName.get("nginx"), byName.get("direct"));
        ratio(byName.get("gateway"), byName.get("nginx"));

        boolean clean = results.stream().allMatch(Result::clean);
        if (!clean) {
            List<String> lines = new ArrayList<>();
            for (Result r : results) {
                if (!r.clean()) {
                    lines.add(String.format("%s: %,d measured errors, %,d warm-up errors", r.name, r.errors,
                            r.warmupErrors));
                    r.errorKinds.forEach((kind, count) -> lines.add(String.format("  %,9d x %s", count, kind)));
                    r.errorSamples.forEach((kind, sample) -> lines.add(String.format("  e.g. %s: %s", kind,
                            abbreviate(sample, 300))));
                }
            }
            BenchMain.printInvalid("ERRORS DURING THE RUN: these figures are NOT valid for comparison", lines);
            return 2;
        }
        System.out.println();
        System.out.println("all answers were 200 (no errors)");
        return 0;
    }

    private static void ratio(Result a, Result b) {
        if (a == null || b == null) {
            return;
        }
        System.out.printf(Locale.ROOT, "  %-17s p50 x%.2f   p99 x%.2f   throughput x%.2f%n",
                a.name + " / " + b.name + ":", a.p50Millis() / b.p50Millis(), a.p99Millis() / b.p99Millis(),
                a.throughput() / b.throughput());
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private void stopChildren() {
        List<Process> toStop;
        synchronized (children) {
            toStop = new ArrayList<>(children);
            children.clear();
        }
        for (Process process : toStop) {
            if (!process.isAlive()) {
                continue;
            }
            process.destroy(); // SIGTERM to this pid only
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void close(Vertx vertx) {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    private static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no " + file + ")";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** Unlike {@link Text#abbreviate}, keeps {@code max} characters before the "..." (its messages always did). */
    static String abbreviate(String s, int max) {
        if (s == null) {
            return "";
        }
        String flat = s.replace('\n', ' ');
        return flat.length() <= max ? flat : flat.substring(0, max) + "...";
    }



    private String nginxVersion() {
        try {
            Process p = new ProcessBuilder(options.nginxBinary, "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return out.replace("nginx version: ", "");
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    private static String vertxVersion() {
        Package p = Vertx.class.getPackage();
        String v = p != null ? p.getImplementationVersion() : null;
        return v != null ? v : "4.5.x";
    }


    // ------------------------------------------------------------------------------------------------- options

    static final class Options extends BenchOptions {
        static final String USAGE = """
                usage: GatewayBench [options]
                  --concurrency N        concurrent keep-alive connections (default 32)
                  --seconds S            measured seconds per target (default 15)
                  --warmup S             warm-up seconds per target, not counted (default 5)
                  --rounds R             measured time cut into R slices per target, taken in turn (default 3)
                  --rewarm-ms MS         warm-up before each later slice (default 1000)
                  --targets LIST         comma list of gateway,nginx (direct is always measured; default gateway,nginx)
                  --gateway-jar PATH     gateway-service/target/quarkus-app/quarkus-run.jar
                  --gateway-heap SIZE    gateway -Xmx (default 384m)
                  --gateway-jvm-opt OPT  extra gateway JVM option (repeatable), e.g. -XX:+UseSerialGC
                  --gateway-db NAME      database the gateway uses (default: the gateway's own, platform_gateway)
                  --gateway-ready-timeout S  seconds to wait for the gateway's readiness (default 180)
                  --nginx PATH           nginx binary (omit: nginx row skipped)
                  --nginx-skip-reason T  why there is no nginx (printed in the table)
                  --nginx-workers N      nginx worker processes (default 1)
                  --load-threads N       load generator event loops (default: nproc)
                  --echo-threads N       echo upstream event loops (default: nproc)
                  --work-dir PATH        logs and nginx config (default bench/target/run)
                """;

        int concurrency = 32;
        int measureSeconds = 15;
        int warmupSeconds = 5;
        int rounds = 3;
        int rewarmMillis = 1000;
        List<String> targets = List.of("gateway", "nginx");
        Path gatewayJar = Path.of("gateway-service/target/quarkus-app/quarkus-run.jar");
        String gatewayHeap = "384m";
        List<String> gatewayJvmOpts = new ArrayList<>();
        String gatewayDatabase;
        int gatewayReadyTimeout = 180;
        String nginxBinary;
        String nginxSkipReason;
        int nginxWorkers = 1;
        int loadThreads;
        int echoThreads;
        Path workDir = Path.of("bench/target/run");

        int loadThreads(int cores) {
            return loadThreads > 0 ? loadThreads : cores;
        }

        int echoThreads(int cores) {
            return echoThreads > 0 ? echoThreads : cores;
        }

        @Override
        void option(String name, String value) {
            switch (name) {
                case "--concurrency", "-c" -> concurrency = OptionValues.positive(name, value);
                case "--seconds", "-d" -> measureSeconds = OptionValues.positive(name, value);
                case "--warmup" -> warmupSeconds = OptionValues.nonNegative(name, value);
                case "--rounds" -> rounds = OptionValues.positive(name, value);
                case "--rewarm-ms" -> rewarmMillis = OptionValues.nonNegative(name, value);
                case "--targets" -> targets = List.of(value.split(","));
                case "--gateway-jar" -> gatewayJar = Path.of(value);
                case "--gateway-heap" -> gatewayHeap = value;
                case "--gateway-jvm-opt" -> gatewayJvmOpts.add(value);
                case "--gateway-db" -> gatewayDatabase = value.isEmpty() ? null : value;
                case "--gateway-ready-timeout" -> gatewayReadyTimeout = OptionValues.positive(name, value);
                case "--nginx" -> nginxBinary = value.isEmpty() ? null : value;
                case "--nginx-skip-reason" -> nginxSkipReason = value;
                case "--nginx-workers" -> nginxWorkers = OptionValues.positive(name, value);
                case "--load-threads" -> loadThreads = OptionValues.positive(name, value);
                case "--echo-threads" -> echoThreads = OptionValues.positive(name, value);
                case "--work-dir" -> workDir = Path.of(value);
                default -> super.option(name, value);
            }
        }
    }
}
