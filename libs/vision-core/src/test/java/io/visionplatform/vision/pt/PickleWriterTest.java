package io.visionplatform.vision.pt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of value {@link PickleWriter} writes reads back through {@link PickleReader} as the same value. */
class PickleWriterTest {

    @TempDir
    Path dir;

    private static Object roundTrip(Object value) throws CheckpointException {
        return new PickleReader().read(new PickleWriter().write(value));
    }

    @Test
    void scalarsReadBackUnchanged() throws CheckpointException {
        assertThat(roundTrip(null)).isNull();
        assertThat(roundTrip(true)).isEqualTo(true);
        assertThat(roundTrip(false)).isEqualTo(false);
        for (long v : new long[] { 0, 1, 255, 256, 65535, 65536, -1, -129, Integer.MAX_VALUE, Integer.MIN_VALUE,
                1L << 40, Long.MAX_VALUE, Long.MIN_VALUE }) {
            assertThat(roundTrip(v)).as("%d", v).isEqualTo(v);
        }
        assertThat(roundTrip(7)).isEqualTo(7L);
        BigInteger huge = BigInteger.TWO.pow(100).negate();
        assertThat(roundTrip(huge)).isEqualTo(huge);
        assertThat(roundTrip(0.1)).isEqualTo(0.1);
        assertThat(roundTrip(-0.0)).isEqualTo(-0.0);
        assertThat(roundTrip(Double.NaN)).isEqualTo(Double.NaN);
        assertThat(roundTrip(1.5f)).isEqualTo(1.5);
        assertThat(roundTrip("")).isEqualTo("");
        assertThat(roundTrip("carré ✓ 🚀")).isEqualTo("carré ✓ 🚀");
    }

    @Test
    void containersKeepTheirKindAndOrder() throws CheckpointException {
        List<Object> big = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            big.add((long) i);
        }
        assertThat(roundTrip(big)).isEqualTo(big);
        assertThat(roundTrip(List.of())).isEqualTo(List.of());

        for (PyTuple t : List.of(PyTuple.of(), PyTuple.of(1L), PyTuple.of(1L, "a"), PyTuple.of(1L, 2L, 3L),
                PyTuple.of(1L, 2L, 3L, PyTuple.of("x", null)))) {
            assertThat(roundTrip(t)).isInstanceOf(PyTuple.class).isEqualTo(t);
        }

        Map<Object, Object> dict = new LinkedHashMap<>();
        dict.put("z", 1L);
        dict.put(3L, List.of("a"));
        dict.put("a", null);
        dict.put(PyTuple.of(1L, 2L), true);
        Object read = roundTrip(dict);
        assertThat(read).isEqualTo(dict);
        assertThat(new ArrayList<Object>(((Map<?, ?>) read).keySet())).isEqualTo(new ArrayList<>(dict.keySet()));

        Map<Object, Object> ordered = new LinkedHashMap<>();
        ordered.put("b", 2L);
        ordered.put("a", 1L);
        assertThat(roundTrip(new PyOrderedDict(ordered))).isEqualTo(ordered);
        assertThat(roundTrip(new PyOrderedDict(Map.of()))).isEqualTo(Map.of());

        LinkedHashSet<Object> set = new LinkedHashSet<>(List.of("running_mean", 5L));
        Object readSet = roundTrip(set);
        assertThat(readSet).isInstanceOf(java.util.Set.class);
        assertThat(new ArrayList<Object>((java.util.Set<?>) readSet)).containsExactly("running_mean", 5L);
    }

    @Test
    void objectsCarryTheirClassAndState() throws CheckpointException {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("training", false);
        state.put("add", true);
        state.put("f", List.of(-1L, 6L));
        Object read = roundTrip(PyObject.of("ultralytics.nn.modules.block", "Bottleneck", state));
        assertThat(read).isInstanceOf(PickledObject.class);
        PickledObject o = (PickledObject) read;
        assertThat(o.className()).isEqualTo("ultralytics.nn.modules.block.Bottleneck");
        assertThat(o.args()).isEmpty();
        assertThat(o.attributes()).isEqualTo(state);
    }

    @Test
    void anObjectReachableTwiceIsOneObjectAfterReading() throws CheckpointException {
        PyObject silu = PyObject.of("torch.nn.modules.activation", "SiLU", Map.of("inplace", true));
        List<Object> shared = new ArrayList<>(List.of("x"));
        List<Object> both = List.of(silu, silu, shared, shared);
        List<?> read = (List<?>) roundTrip(both);
        assertThat(read.get(0)).isSameAs(read.get(1));
        assertThat(read.get(2)).isSameAs(read.get(3));

        // a list holding itself, as Python allows
        List<Object> self = new ArrayList<>();
        self.add(self);
        List<?> readSelf = (List<?>) roundTrip(self);
        assertThat(readSelf.get(0)).isSameAs(readSelf);
    }

    @Test
    void manyDistinctObjectsUseLongMemoIndices() throws CheckpointException {
        List<Object> objects = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            objects.add(PyObject.of("torch.nn.modules.linear", "Identity", new LinkedHashMap<>(Map.of("i", (long) i))));
        }
        List<Object> twice = new ArrayList<>(objects);
        twice.addAll(objects);
        List<?> read = (List<?>) roundTrip(twice);
        for (int i = 0; i < 600; i++) {
            assertThat(read.get(600 + i)).isSameAs(read.get(i));
            assertThat(((PickledObject) read.get(i)).attribute("i")).isEqualTo((long) i);
        }
    }

    @Test
    void tensorsAndParametersReadBackThroughACheckpoint() throws IOException {
        TensorData weight = TensorData.ofFloat32(new float[] { 1, -2, 3.5f, 0, 1e-3f, 6 }, 2, 3);
        TensorData half = TensorData.ofFloat16(new float[] { 0.1f, 65504, -0f }, 3);
        TensorData counter = TensorData.ofLong(42);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("weight", new TorchParameter(weight, true));
        params.put("bias", null);
        Map<String, Object> buffers = new LinkedHashMap<>();
        buffers.put("running_mean", half);
        buffers.put("num_batches_tracked", counter);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("_parameters", new PyOrderedDict(params));
        state.put("_buffers", new PyOrderedDict(buffers));
        state.put("again", half);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", PyObject.of("ultralytics.nn.tasks", "DetectionModel", state));
        Path file = dir.resolve("t.pt");
        CheckpointWriter.write(file, root);

        Checkpoint c = Checkpoint.read(file);
        Tensor w = c.stateDict().get("weight");
        assertThat(w.isParameter()).isTrue();
        assertThat(w.requiresGrad()).isTrue();
        assertThat(w.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(w.shape()).containsExactly(2, 3);
        assertThat(w.toFloatArray()).containsExactly(1, -2, 3.5f, 0, 1e-3f, 6);
        Tensor h = c.stateDict().get("running_mean");
        assertThat(h.isParameter()).isFalse();
        assertThat(h.dtype()).isEqualTo(DType.FLOAT16);
        assertThat(h.toFloatArray()).containsExactly(DType.halfToFloat(TensorData.floatToHalf(0.1f)), 65504, -0f);
        assertThat(c.model().attribute("again")).isSameAs(h);
        Tensor n = c.stateDict().get("num_batches_tracked");
        assertThat(n.dtype()).isEqualTo(DType.INT64);
        assertThat(n.shape()).isEmpty();
        assertThat(n.toLongArray()).containsExactly(42);
        assertThat(c.stateDict()).doesNotContainKey("bias");
        assertThat(c.parameterCount()).isEqualTo(6);
    }

    @Test
    void valuesPythonCannotHoldAreRefused() {
        assertThatThrownBy(() -> new PickleWriter().write(List.of(new Object())))
                .isInstanceOf(IllegalArgumentException.class);
        PickleWriter once = new PickleWriter();
        once.write(1L);
        assertThatThrownBy(() -> once.write(2L)).isInstanceOf(IllegalStateException.class);
    }
}
