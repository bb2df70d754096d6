package io.visionplatform.training.executor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.visionplatform.training.TrainingRun;
import io.visionplatform.training.config.TrainingConfig;

/**
 * A child JVM per run running vision-core's TrainWorker (ADR 0007), with bounded heap and threads, its output in
 * {@code <work-dir>/<runId>/worker.log}. The child is not tied to this service's life: after a restart a live worker
 * is re-attached by its pid (the worker keeps {@code worker.json} current), a dead one's run is failed. Blocking
 * (process start, file reads): callers run it off the event loop.
 */
@ApplicationScoped
public class LocalExecutor {

    private static final Logger LOG = Logger.getLogger(LocalExecutor.class);
    private static final int LOG_TAIL_LINES = 20;
    /** The file a worker polls before every batch (ADR 0007). */
    public static final String CANCEL_FILE = "cancel";
    /** How long a worker asked to stop may take before SIGTERM. */
    static final Duration CANCEL_GRACE = Duration.ofSeconds(30);

    /** A worker this service watches: the Process when it started it (exit code known), else just its handle. */
    public record Worker(String runId, ProcessHandle handle, Process process, Path dir) {

        /** The exit status when this service started the worker; null for a re-attached one. */
        public Integer exitCode() {
            return process == null ? null : process.exitValue();
        }
    }

    /** How a watched worker ended. */
    public record Exit(String status, String error) {
    }

    private final TrainingConfig config;
    private final ObjectMapper json;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();

    public LocalExecutor(TrainingConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    /** Whether the trainer's class is on this service's classpath (an explicit classpath is trusted as it is). */
    public boolean trainerAvailable() {
        return config.local().classpath().isPresent() || Thread.currentThread()
                .getContextClassLoader()
                .getResource(config.local().mainClass().replace('.', '/') + ".class") != null;
    }

    /** Starts the worker of a run (its key and data URL in hand); answers the worker. */
    public Worker launch(TrainingRun run) {
        Path dir = config.local().workDir().resolve(run.id).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = command(run, dir);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                // A file, not a pipe: the worker must outlive a restart of this service without blocking on output.
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("worker.log").toFile()));
        builder.environment().put("ULTRALYTICS_PLATFORM_URL", config.services().gatewayUrl().toString());
        builder.environment().put("ULTRALYTICS_API_KEY", run.runKeySecret);
        try {
            Process process = builder.start();
            Worker worker = new Worker(run.id, process.toHandle(), process, dir);
            workers.put(run.id, worker);
            LOG.infof("Run %s: worker pid %d started in %s", run.id, process.pid(), dir);
            return worker;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the worker: " + e.getMessage(), e);
        }
    }

    /** The exact command line of a run's worker. */
    public List<String> command(TrainingRun run, Path dir) {
        TrainingConfig.Local local = config.local();
        String java = local.javaBin()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = local.classpath()
                .orElseGet(() -> WorkerClasspath.of(System.getProperty("java.class.path")));
        return WorkerCommand.java(java, local.heap(), local.threads(), local.jvmOptions(), classpath,
                local.mainClass(), WorkerCommand.workerArgs(run, WorkerCommand.device(run.gpuType), local.threads(),
                        dir.toString()));
    }

    public boolean watching(String runId) {
        return workers.containsKey(runId);
    }

    /**
     * Re-attaches the worker of a run this service does not watch (it started before a restart) when its pid is
     * alive and is a JVM; answers false when the worker is gone.
     */
    public boolean reattach(TrainingRun run) {
        if (run.workerPid == null) {
            return false;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(run.workerPid)
                .filter(ProcessHandle::isAlive)
                .filter(alive -> isWorkerOf(run, alive));
        handle.ifPresent(alive -> workers.put(run.id, new Worker(run.id, alive, null,
                run.workerDir == null ? null : Path.of(run.workerDir))));
        return handle.isPresent();
    }

    /**
     * Whether a live pid is still the run's worker and not a recycled pid: its full command line (from {@code /proc},
     * as the JDK's view of it is cut short by the long classpath) names the run's folder; where there is no
     * {@code /proc}, the JDK's view or worker.json's pid decides.
     */
    private boolean isWorkerOf(TrainingRun run, ProcessHandle alive) {
        Path procCmdline = Path.of("/proc", Long.toString(alive.pid()), "cmdline");
        String line = "";
        if (Files.isReadable(procCmdline)) {
            try {
                line = new String(Files.readAllBytes(procCmdline), StandardCharsets.UTF_8).replace('\0', ' ');
            } catch (IOException e) {
                line = "";
            }
        } else {
            line = alive.info()
                    .commandLine()
                    .orElse("");
        }
        if (line.contains(run.id)) {
            return true;
        }
        Path dir = run.workerDir == null ? null : Path.of(run.workerDir);
        return line.isEmpty() && workerPid(dir) == alive.pid();
    }

    /** The watched workers that have exited, removed from the watch. */
    public List<Worker> reapExited() {
        List<Worker> exited = new ArrayList<>();
        for (Worker worker : workers.values()) {
            if (!worker.handle().isAlive()) {
                workers.remove(worker.runId());
                exited.add(worker);
            }
        }
        return exited;
    }

    /**
     * Asks the worker to stop: a {@code cancel} file in its folder, which it checks before every batch (it then saves,
     * uploads its best checkpoint, reports and exits 3); SIGTERM after {@link #CANCEL_GRACE} if it is still alive (the
     * worker then saves {@code last.pt} and exits 143), so a wedged worker cannot keep a cancelled run going.
     */
    public void cancel(TrainingRun run) {
        Worker worker = workers.get(run.id);
        Optional<ProcessHandle> handle = worker != null ? Optional.of(worker.handle())
                : Optional.ofNullable(run.workerPid).flatMap(ProcessHandle::of);
        Path dir = worker != null ? worker.dir() : run.workerDir == null ? null : Path.of(run.workerDir);
        boolean asked = false;
        if (dir != null) {
            try {
                Files.writeString(dir.resolve(CANCEL_FILE), "cancelled by the platform\n");
                asked = true;
            } catch (IOException e) {
                LOG.warnf("Run %s: cannot write the cancel file (%s); sending SIGTERM", run.id, e.getMessage());
            }
        }
        if (!asked) {
            handle.ifPresent(ProcessHandle::destroy);
            return;
        }
        handle.ifPresent(h -> CompletableFuture.delayedExecutor(CANCEL_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> {
                    if (h.isAlive()) {
                        h.destroy();
                    }
                }));
    }

    /**
     * What a worker's end means for a run that never reported its own end: exit 3 (or worker.json's state) is a
     * cancel, anything else a failure with the log's last lines.
     */
    public Exit exitOf(Worker worker) {
        Integer code = worker.process() != null ? worker.process().exitValue() : null;
        String state = workerState(worker.dir());
        if ((code != null && code == 3) || "cancelled".equals(state)) {
            return new Exit("cancelled", null);
        }
        String how = code != null ? "exited with status " + code : "ended (state " + state + ")";
        return new Exit("failed", "The training worker " + how + " before reporting the end of training"
                + logTail(worker.dir()));
    }

    /** For a run whose worker is gone and was not watched: the failure to record. */
    public String deadWorkerError(TrainingRun run) {
        Path dir = run.workerDir == null ? null : Path.of(run.workerDir);
        return "The training worker (pid " + run.workerPid + ") is gone: it died while the training service was "
                + "down (last state " + workerState(dir) + ")" + logTail(dir);
    }

    private String workerState(Path dir) {
        if (dir == null || !Files.isRegularFile(dir.resolve("worker.json"))) {
            return "unknown";
        }
        try {
            JsonNode state = json.readTree(dir.resolve("worker.json").toFile());
            return state.path("state").asText("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private long workerPid(Path dir) {
        if (dir == null || !Files.isRegularFile(dir.resolve("worker.json"))) {
            return -1;
        }
        try {
            return json.readTree(dir.resolve("worker.json").toFile()).path("pid").asLong(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String logTail(Path dir) {
        if (dir == null || !Files.isRegularFile(dir.resolve("worker.log"))) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(dir.resolve("worker.log"), StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return tail.isEmpty() ? "" : ":\n" + String.join("\n", tail);
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }
}
