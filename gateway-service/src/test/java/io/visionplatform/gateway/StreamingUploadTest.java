package io.visionplatform.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * A 1 GiB upload streams through the gateway to the service: every byte arrives, and the gateway (running
 * in this JVM, whose heap the surefire configuration caps at 512 MiB) retains less than 64 MiB for it.
 */
@QuarkusTest
@QuarkusTestResource(FakeUpstreams.class)
class StreamingUploadTest {

    private static final long ONE_GIB = 1L << 30;
    private static final long LIMIT = 64L << 20;

    @Test
    void oneGibUploadStreamsWithBoundedHeap() throws Exception {
        String key = GatewayApi.newAccountKey("pro");
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        // curl streams 1 GiB of zeros from a pipe, chunked, as a real client uploading a large archive would.
        ProcessBuilder upload = new ProcessBuilder("bash", "-c",
                "head -c " + ONE_GIB + " /dev/zero | curl -sS -X POST -T - -H 'Authorization: Bearer " + key + "'"
                        + " -H 'Content-Type: application/octet-stream'"
                        + " http://127.0.0.1:" + port + "/api/datasets/dataset_x/images")
                .redirectErrorStream(true);

        System.gc();
        long baseline = retainedHeap();
        HeapSampler sampler = new HeapSampler();
        sampler.start();
        Process process = upload.start();
        String answer = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        sampler.interrupt();
        sampler.join();

        assertThat(process.exitValue()).as(answer).isZero();
        assertThat(new JsonObject(answer).getLong("bodyBytes")).isEqualTo(ONE_GIB);
        assertThat(sampler.peak - baseline).as("old-generation growth during a 1 GiB upload").isLessThan(LIMIT);
    }

    /** Heap that survived young collections (old/tenured pools): where a buffered upload would pile up. */
    private static long retainedHeap() {
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        return pools.stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .filter(pool -> pool.getName().contains("Old") || pool.getName().contains("Tenured"))
                .mapToLong(pool -> pool.getUsage().getUsed())
                .sum();
    }

    private static final class HeapSampler extends Thread {
        volatile long peak;

        @Override
        public void run() {
            while (!isInterrupted()) {
                peak = Math.max(peak, retainedHeap());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
