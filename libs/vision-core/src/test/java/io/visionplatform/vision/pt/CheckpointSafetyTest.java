package io.visionplatform.vision.pt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-made checkpoints: the zip checks, storage checks, and the Ultralytics fields on unusual layouts. */
class CheckpointSafetyTest {

    @TempDir
    Path tmp;

    /** A float32 storage of these values, little-endian. */
    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /**
     * A small DetectionModel-like checkpoint: {@code model} holds {@code model.0} (a Conv2d with a weight of
     * {@code weightNumel} float32 viewed as [2, 2], a None bias, a persistent and a non-persistent buffer), names as a
     * list, stride [8., 16.] (storage '1'), args {'task': 'segment'}; train_args imgsz [64, 256].
     */
    private static byte[] modelPickle(long weightNumel, boolean withEma) {
        PickleBytes p = PickleBytes.proto2().emptyDict().mark();
        p.str("epoch").int1(3).str("best_fitness").binfloat(0.5).str("version").str("8.0.0");
        p.str("model").global("ultralytics.nn.tasks", "SegmentationModel").emptyTuple().newobj().emptyDict().mark();
        p.str("_parameters").orderedDict().str("_buffers").orderedDict();
        p.str("_modules").orderedDict().mark().str("model")
                .global("torch.nn.modules.container", "Sequential").emptyTuple().newobj().emptyDict().mark()
                .str("_parameters").orderedDict().str("_buffers").orderedDict()
                .str("_modules").orderedDict().mark().str("0")
                .global("torch.nn.modules.conv", "Conv2d").emptyTuple().newobj().emptyDict().mark()
                .str("_parameters").orderedDict().mark()
                .str("weight").parameterStart()
                .tensor("FloatStorage", "0", weightNumel, 0, new long[] { 2, 2 }, new long[] { 2, 1 })
                .parameterEnd(true)
                .str("bias").none()
                .setitems()
                .str("_buffers").orderedDict().mark()
                .str("kept").tensor("FloatStorage", "1", 2, 1, new long[] {}, new long[] {})
                .str("scratch").tensor("FloatStorage", "1", 2, 0, new long[] { 1 }, new long[] { 1 })
                .str("absent").none()
                .setitems()
                .str("_non_persistent_buffers_set").global("__builtin__", "set").emptyList().str("scratch").append()
                .tuple1().reduce()
                .setitems().build()
                .setitems()
                .setitems().build()
                .setitems();
        p.str("names").emptyList().mark().str("cat").str("dog").appends();
        p.str("stride").tensor("FloatStorage", "1", 2, 0, new long[] { 2 }, new long[] { 1 });
        p.str("yaml").emptyDict().str("nc").int1(2).setitem();
        p.str("args").emptyDict().str("task").str("segment").setitem();
        p.setitems().build();
        p.str("ema");
        if (withEma) {
            p.global("ultralytics.nn.tasks", "DetectionModel").emptyTuple().newobj();
        } else {
            p.none();
        }
        p.str("train_args").emptyDict().str("imgsz").emptyList().int1(64).append().op('M', 0, 1).append().setitem();
        return p.setitems().stop().bytes();
    }

    private Path checkpoint(String name, Map<String, byte[]> entries) throws Exception {
        return TestZips.write(tmp.resolve(name), entries);
    }

    private static Map<String, byte[]> entries(byte[] pickle, byte[] storage0, byte[] storage1) {
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("archive/data.pkl", pickle);
        e.put("archive/data/0", storage0);
        e.put("archive/data/1", storage1);
        e.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        return e;
    }

    @Test
    void readsAHandMadeCheckpoint() throws Exception {
        Path file = checkpoint("small.pt", entries(modelPickle(4, false), floats(1, 2, 3, 4), floats(8, 16)));
        Checkpoint ckpt = Checkpoint.read(file);
        assertThat(ckpt.file()).isEqualTo(file.toAbsolutePath());
        assertThat(ckpt.model().className()).isEqualTo("ultralytics.nn.tasks.SegmentationModel");
        assertThat(ckpt.names()).containsExactly("cat", "dog");
        assertThat(ckpt.task()).isEqualTo("segment");
        assertThat(ckpt.stride()).isEqualTo(16);
        assertThat(ckpt.imgsz()).containsExactly(64, 256);
        assertThat(ckpt.modelYaml()).isEqualTo(Map.of("nc", 2L));
        assertThat(ckpt.epoch()).isEqualTo(3);
        assertThat(ckpt.bestFitness()).isEqualTo(0.5);
        assertThat(ckpt.version()).isEqualTo("8.0.0");
        assertThat(ckpt.date()).isNull();
        assertThat(ckpt.end2end()).isFalse();
        assertThat(ckpt.head().className()).isEqualTo("torch.nn.modules.conv.Conv2d");
        // None bias and the non-persistent buffer are left out, as state_dict() does
        assertThat(ckpt.stateDict().keySet()).containsExactly("model.0.weight", "model.0.kept");
        assertThat(ckpt.parameters().keySet()).containsExactly("model.0.weight");
        assertThat(ckpt.parameterCount()).isEqualTo(4);
        assertThat(ckpt.modules().keySet()).containsExactly("", "model", "model.0");
        Tensor weight = ckpt.stateDict().get("model.0.weight");
        assertThat(weight.requiresGrad()).isTrue();
        assertThat(weight.toFloatArray()).containsExactly(1, 2, 3, 4);
        assertThat(ckpt.stateDict().get("model.0.kept").toFloatArray()).containsExactly(16);
    }

    @Test
    void prefersEmaOverModel() throws Exception {
        Path file = checkpoint("ema.pt", entries(modelPickle(4, true), floats(1, 2, 3, 4), floats(8, 16)));
        Checkpoint ckpt = Checkpoint.read(file);
        assertThat(ckpt.model().className()).isEqualTo("ultralytics.nn.tasks.DetectionModel");
        assertThat(ckpt.stateDict()).isEmpty();
        assertThat(ckpt.names()).isEmpty();
        assertThat(ckpt.stride()).isEqualTo(32);
        assertThat(ckpt.task()).isEqualTo("detect");
    }

    @Test
    void readsBigEndianStorages() throws Exception {
        Map<String, byte[]> e = entries(modelPickle(4, false), ByteBuffer.allocate(16).putFloat(1).putFloat(2)
                .putFloat(3).putFloat(4).array(), ByteBuffer.allocate(8).putFloat(8).putFloat(32).array());
        e.put("archive/byteorder", "big".getBytes(StandardCharsets.US_ASCII));
        Checkpoint ckpt = Checkpoint.read(checkpoint("big.pt", e));
        assertThat(ckpt.stateDict().get("model.0.weight").toFloatArray()).containsExactly(1, 2, 3, 4);
        assertThat(ckpt.stride()).isEqualTo(32);
    }

    @Test
    void storageShorterThanTheViewIsRefused() throws Exception {
        // the persistent id says 4 elements (16 bytes) but the entry holds 12
        Path shortEntry = checkpoint("short-entry.pt", entries(modelPickle(4, false), floats(1, 2, 3), floats(8, 16)));
        assertThatThrownBy(() -> Checkpoint.read(shortEntry)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("archive/data/0").hasMessageContaining("has 12 bytes");
        // the persistent id and entry agree on 3 elements, but the [2, 2] view needs 4
        Path shortView = checkpoint("short-view.pt", entries(modelPickle(3, false), floats(1, 2, 3), floats(8, 16)));
        assertThatThrownBy(() -> Checkpoint.read(shortView)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("out of range");
        // a storage entry that is missing
        Map<String, byte[]> missing = entries(modelPickle(4, false), floats(1, 2, 3, 4), floats(8, 16));
        missing.remove("archive/data/1");
        Path noStorage = checkpoint("missing.pt", missing);
        assertThatThrownBy(() -> Checkpoint.read(noStorage)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("archive/data/1").hasMessageContaining("missing");
    }

    @Test
    void storageChangedAfterReadingIsDetectedOnLoad() throws Exception {
        Path file = checkpoint("changing.pt", entries(modelPickle(4, false), floats(1, 2, 3, 4), floats(8, 16)));
        Checkpoint ckpt = Checkpoint.read(file);
        checkpoint("changing.pt", entries(modelPickle(4, false), floats(1, 2), floats(8, 16)));
        assertThatThrownBy(() -> ckpt.stateDict().get("model.0.weight").toFloatArray())
                .isInstanceOf(CheckpointException.class).hasMessageContaining("16 bytes");
    }

    @Test
    void escapingEntryNamesAreRefused() throws Exception {
        for (String bad : List.of("../evil.sh", "archive/../../evil", "/etc/cron.d/evil", "archive\\..\\evil",
                "C:/evil")) {
            Map<String, byte[]> e = entries(modelPickle(4, false), floats(1, 2, 3, 4), floats(8, 16));
            e.put(bad, new byte[] { 1 });
            Path file = checkpoint("escape.pt", e);
            assertThatThrownBy(() -> Checkpoint.read(file)).as(bad).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("refused zip entry name");
        }
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("../archive/data.pkl", PickleBytes.proto2().emptyDict().stop().bytes());
        Path file = checkpoint("escape-pickle.pt", e);
        assertThatThrownBy(() -> Checkpoint.read(file)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("'../archive/data.pkl'");
    }

    @Test
    void maliciousPickleInsideACheckpointIsRefused() throws Exception {
        Path canary = tmp.resolve("pwned");
        byte[] pickle = PickleBytes.proto2().emptyDict().str("model").global("posix", "system")
                .str("touch " + canary).tuple1().reduce().setitem().stop().bytes();
        Path file = checkpoint("evil.pt", Map.of("archive/data.pkl", pickle));
        assertThatThrownBy(() -> Checkpoint.read(file)).isInstanceOf(UnsafePickleException.class)
                .hasMessageContaining("posix.system");
        assertThat(canary).doesNotExist();
    }

    @Test
    void notACheckpointIsRefused() throws Exception {
        Path random = tmp.resolve("random.pt");
        Files.write(random, "definitely not a zip file".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> Checkpoint.read(random)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("not a valid zip");

        byte[] zip = TestZips.toBytes(entries(modelPickle(4, false), floats(1, 2, 3, 4), floats(8, 16)));
        Path truncated = tmp.resolve("truncated.pt");
        Files.write(truncated, Arrays.copyOf(zip, zip.length - 30));
        assertThatThrownBy(() -> Checkpoint.read(truncated)).isInstanceOf(CheckpointException.class);

        Path noPickle = checkpoint("nopickle.pt", Map.of("archive/version", new byte[] { '3' }));
        assertThatThrownBy(() -> Checkpoint.read(noPickle)).hasMessageContaining("no <prefix>/data.pkl");

        byte[] empty = PickleBytes.proto2().emptyDict().stop().bytes();
        Path two = checkpoint("two.pt", Map.of("a/data.pkl", empty, "b/data.pkl", empty));
        assertThatThrownBy(() -> Checkpoint.read(two)).hasMessageContaining("2 data.pkl entries");

        Path noModel = checkpoint("nomodel.pt", Map.of("a/data.pkl", empty));
        assertThatThrownBy(() -> Checkpoint.read(noModel)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("no 'model' or 'ema'");

        Path list = checkpoint("list.pt", Map.of("a/data.pkl", PickleBytes.proto2().emptyList().stop().bytes()));
        assertThatThrownBy(() -> Checkpoint.read(list)).hasMessageContaining("top-level object is a list");

        Path plainModel = checkpoint("plain.pt",
                Map.of("a/data.pkl", PickleBytes.proto2().emptyDict().str("model").str("weights").setitem().stop()
                        .bytes()));
        assertThatThrownBy(() -> Checkpoint.read(plainModel)).hasMessageContaining("'model' is a str");

        Path badByteOrder = checkpoint("byteorder.pt", Map.of("a/data.pkl", empty, "a/byteorder",
                "middle".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> Checkpoint.read(badByteOrder)).hasMessageContaining("byteorder");
    }

    @Test
    void pickleLimitsApplyToTheArchive() throws Exception {
        Path file = checkpoint("limits.pt", entries(modelPickle(4, false), floats(1, 2, 3, 4), floats(8, 16)));
        PickleReader.Limits tiny = new PickleReader.Limits(100, 1000, 1000, 1000, 1000);
        assertThatThrownBy(() -> Checkpoint.read(file, tiny)).isInstanceOf(PickleLimitException.class)
                .hasMessageContaining("more than the limit of 100");
    }
}
