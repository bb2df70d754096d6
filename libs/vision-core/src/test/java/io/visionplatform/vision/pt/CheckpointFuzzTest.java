package io.visionplatform.vision.pt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.visionplatform.vision.Fixtures;

/**
 * Damaged copies of the fixture checkpoints (seeded, so every run tries the same ones): random bytes in
 * {@code data.pkl}, cut or lengthened pickles, missing or shortened entries, and damage to the zip itself. Each must be
 * read, or refused with a {@link CheckpointException}, within two seconds: no other exception or error may escape.
 */
class CheckpointFuzzTest {

    private static final int VARIANTS_PER_MODEL = 300;
    private static final Duration PER_VARIANT = Duration.ofSeconds(2);

    private enum Mutation {
        PICKLE_BYTES,
        PICKLE_BYTE_RUN,
        PICKLE_TRUNCATED,
        PICKLE_INSERTED,
        ENTRY_DELETED,
        STORAGE_TRUNCATED,
        ZIP_TRUNCATED,
        ZIP_BYTES
    }

    static List<String> models() {
        return Fixtures.MODELS;
    }

    @ParameterizedTest
    @MethodSource("models")
    void damagedCheckpointsAreReadOrRefusedCleanly(String model) throws Exception {
        Path original = Fixtures.modelFile(model, "best.pt");
        LinkedHashMap<String, byte[]> entries = TestZips.read(original);
        byte[] zip = Files.readAllBytes(original);
        String pickleName = entries.keySet().stream().filter(n -> n.endsWith("/data.pkl")).findFirst().orElseThrow();
        List<String> storages = entries.keySet().stream().filter(n -> n.contains("/data/")).toList();
        Random random = new Random(0x5eed0000L + Fixtures.MODELS.indexOf(model));
        Path variant = Files.createTempFile("pt-fuzz-", ".pt");
        Map<Mutation, int[]> outcomes = new TreeMap<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < VARIANTS_PER_MODEL; i++) {
                Mutation mutation = Mutation.values()[i % Mutation.values().length];
                byte[] bytes = mutate(mutation, random, entries, zip, pickleName, storages);
                Files.write(variant, bytes);
                String label = model + " variant " + i + " (" + mutation + ")";
                boolean ok = assertTimeoutPreemptively(PER_VARIANT, () -> readFully(variant, label), label);
                outcomes.computeIfAbsent(mutation, m -> new int[2])[ok ? 0 : 1]++;
            }
        } finally {
            Files.deleteIfExists(variant);
        }
        StringBuilder summary = new StringBuilder();
        outcomes.forEach((m, n) -> summary.append(' ').append(m).append(' ').append(n[0]).append('/').append(n[1]));
        System.out.printf("[vision-core] pt fuzz %s: %d variants in %.1f s (read/refused):%s%n", model,
                VARIANTS_PER_MODEL, (System.nanoTime() - start) / 1e9, summary);
        int refused = outcomes.values().stream().mapToInt(n -> n[1]).sum();
        assertThat(refused).as("most damage is noticed").isGreaterThan(VARIANTS_PER_MODEL / 2);
    }

    /** Reads the checkpoint and some tensors; true when read, false when refused with a CheckpointException. */
    private static boolean readFully(Path file, String label) throws Exception {
        try {
            Checkpoint ckpt = Checkpoint.read(file);
            ckpt.names();
            ckpt.task();
            ckpt.imgsz();
            ckpt.end2end();
            int n = 0;
            for (Tensor t : ckpt.stateDict().values()) {
                if (n++ % 25 == 0) {
                    assertThat(t.toFloatArray()).hasSize((int) t.numel());
                }
            }
            return true;
        } catch (CheckpointException e) {
            assertThat(e.getMessage()).as(label).isNotBlank();
            return false;
        }
    }

    private static byte[] mutate(Mutation mutation, Random random, LinkedHashMap<String, byte[]> entries, byte[] zip,
            String pickleName, List<String> storages) throws Exception {
        byte[] pickle = entries.get(pickleName);
        switch (mutation) {
            case PICKLE_BYTES: {
                byte[] p = pickle.clone();
                for (int k = 1 + random.nextInt(4); k > 0; k--) {
                    p[random.nextInt(p.length)] = (byte) random.nextInt(256);
                }
                return withEntry(entries, pickleName, p);
            }
            case PICKLE_BYTE_RUN: {
                byte[] p = pickle.clone();
                int at = random.nextInt(p.length);
                for (int k = at; k < Math.min(p.length, at + 1 + random.nextInt(16)); k++) {
                    p[k] = (byte) random.nextInt(256);
                }
                return withEntry(entries, pickleName, p);
            }
            case PICKLE_TRUNCATED:
                return withEntry(entries, pickleName, Arrays.copyOf(pickle, random.nextInt(pickle.length)));
            case PICKLE_INSERTED: {
                int at = random.nextInt(pickle.length);
                byte[] extra = new byte[1 + random.nextInt(8)];
                random.nextBytes(extra);
                byte[] p = new byte[pickle.length + extra.length];
                System.arraycopy(pickle, 0, p, 0, at);
                System.arraycopy(extra, 0, p, at, extra.length);
                System.arraycopy(pickle, at, p, at + extra.length, pickle.length - at);
                return withEntry(entries, pickleName, p);
            }
            case ENTRY_DELETED: {
                List<String> names = new ArrayList<>(entries.keySet());
                LinkedHashMap<String, byte[]> copy = new LinkedHashMap<>(entries);
                copy.remove(names.get(random.nextInt(names.size())));
                return TestZips.toBytes(copy);
            }
            case STORAGE_TRUNCATED: {
                String name = storages.get(random.nextInt(storages.size()));
                byte[] s = entries.get(name);
                return withEntry(entries, name, Arrays.copyOf(s, random.nextInt(s.length)));
            }
            case ZIP_TRUNCATED:
                return Arrays.copyOf(zip, random.nextInt(zip.length));
            default: {
                byte[] z = zip.clone();
                for (int k = 1 + random.nextInt(8); k > 0; k--) {
                    // half the hits in the central directory and pickle near the end and start, half anywhere
                    int at = random.nextBoolean() ? z.length - 1 - random.nextInt(Math.min(z.length, 40_000))
                            : random.nextInt(z.length);
                    z[at] = (byte) random.nextInt(256);
                }
                return z;
            }
        }
    }

    private static byte[] withEntry(LinkedHashMap<String, byte[]> entries, String name, byte[] data) throws Exception {
        LinkedHashMap<String, byte[]> copy = new LinkedHashMap<>(entries);
        copy.put(name, data);
        return TestZips.toBytes(copy);
    }
}
