package io.visionplatform.training;

import static io.visionplatform.training.Callers.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionplatform.training.Callers.Caller;

/**
 * What a restart of training-service finds: local runs marked running whose worker this process never started. A
 * dead worker's run is failed (never left running); a live one is re-attached and watched until it exits.
 */
@QuarkusTest
class RestartReconciliationTest {

    @Inject
    AgroalDataSource database;

    @Test
    void aRunningRunWhoseWorkerDiedIsFailed() throws Exception {
        Caller alice = Callers.newCaller();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        String modelId = insertRunningLocalRun(alice, gone.pid());

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> as(alice).get("/api/models/{id}/training", modelId)
                        .then()
                        .body("data.status", equalTo("failed"))
                        .body("data.error.code", equalTo("WORKER_EXITED"))
                        .body("data.error.message", containsString("pid " + gone.pid())));
    }

    @Test
    void aLiveWorkerIsReattachedAndItsExitEndsTheRun() throws Exception {
        Caller alice = Callers.newCaller();
        String runId = "run_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        // A stand-in whose command line names the run only after a long argument, as the worker's names its
        // --workdir after a classpath of a hundred jars (the JDK's own view of a command line is cut short).
        Process worker = new ProcessBuilder("bash", "-c", "sleep 60; echo $0", "x".repeat(20_000) + " " + runId)
                .start();
        try {
            String modelId = insertRunningLocalRun(alice, runId, worker.pid());
            // several executor passes later it is still running: re-attached, not failed
            Thread.sleep(5000);
            as(alice).get("/api/models/{id}/training", modelId)
                    .then()
                    .body("data.status", equalTo("running"));

            worker.destroyForcibly();
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> as(alice).get("/api/models/{id}/training", modelId)
                            .then()
                            .body("data.status", equalTo("failed"))
                            .body("data.error.message", containsString("before reporting the end of training")));
        } finally {
            worker.destroyForcibly();
        }
    }

    private String insertRunningLocalRun(Caller owner, long pid) throws SQLException {
        return insertRunningLocalRun(owner, "run_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20),
                pid);
    }

    private String insertRunningLocalRun(Caller owner, String runId, long pid) throws SQLException {
        String modelId = "model_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection connection = database.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into training_run (id, account_id, username, model_id, source, executor, gpu_type,
                            epochs, image_size, status, worker_pid, worker_dir, queued_at, registered_at, started_at,
                            updated_at)
                        values (?, ?, ?, ?, 'managed', 'local', 'cpu', 3, 160, 'running', ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, runId);
            insert.setString(2, owner.accountId());
            insert.setString(3, owner.username());
            insert.setString(4, modelId);
            insert.setLong(5, pid);
            insert.setString(6, "target/training-runs/" + runId);
            insert.setTimestamp(7, now);
            insert.setTimestamp(8, now);
            insert.setTimestamp(9, now);
            insert.setTimestamp(10, now);
            insert.executeUpdate();
        }
        return modelId;
    }
}
