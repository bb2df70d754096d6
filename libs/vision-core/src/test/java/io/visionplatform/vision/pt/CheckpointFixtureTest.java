package io.visionplatform.vision.pt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.visionplatform.vision.Fixtures;

/** The three fixture {@code best.pt} files against the facts recorded in each {@code export_info.json}. */
class CheckpointFixtureTest {

    private static final Map<String, Checkpoint> CACHE = new ConcurrentHashMap<>();

    static List<String> models() {
        return Fixtures.MODELS;
    }

    private static Checkpoint checkpoint(String model) {
        return CACHE.computeIfAbsent(model, m -> {
            try {
                return Checkpoint.read(Fixtures.modelFile(m, "best.pt"));
            } catch (Exception e) {
                throw new AssertionError("cannot read " + m + "/best.pt", e);
            }
        });
    }

    private static JsonNode info(String model) {
        return Fixtures.json(model, "export_info.json").get("checkpoint");
    }

    /** JSON as the reader's values: integers as Long, other numbers as Double, arrays as lists, objects as maps. */
    static Object toJava(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(toJava(n)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), toJava(e.getValue())));
        return map;
    }

    @ParameterizedTest
    @MethodSource("models")
    void topLevelFieldsMatchTheRecord(String model) {
        Checkpoint ckpt = checkpoint(model);
        JsonNode info = info(model);
        assertThat(new TreeSet<>(ckpt.root().keySet())).isEqualTo(new TreeSet<>((List<?>) toJava(info.get("keys"))));
        assertThat(ckpt.version()).isEqualTo(info.get("version").textValue()).isEqualTo("8.4.50");
        assertThat(ckpt.epoch()).isEqualTo(info.get("epoch").intValue()).isEqualTo(-1);
        assertThat(ckpt.date()).startsWith("2026-");
        // stripped checkpoint: the optimizer, ema and best_fitness are None, the weights are in 'model'
        assertThat(ckpt.bestFitness()).isNull();
        assertThat(ckpt.root().get("ema")).isNull();
        assertThat(ckpt.root().get("optimizer")).isNull();
        assertThat(ckpt.model()).isSameAs(ckpt.root().get("model"));
        assertThat(ckpt.model().className()).isEqualTo(info.get("model_class").textValue());
        assertThat(ckpt.root().get("train_metrics")).isEqualTo(toJava(info.get("train_metrics")));
    }

    @ParameterizedTest
    @MethodSource("models")
    void modelConfigurationMatchesTheRecord(String model) {
        Checkpoint ckpt = checkpoint(model);
        JsonNode info = info(model);
        assertThat(ckpt.names()).containsExactly("circle", "square", "triangle", "cross");
        List<String> recorded = new ArrayList<>();
        info.get("names").fields().forEachRemaining(e -> recorded.add(Integer.parseInt(e.getKey()), e.getValue().textValue()));
        assertThat(ckpt.names()).isEqualTo(recorded);
        assertThat(ckpt.task()).isEqualTo("detect").isEqualTo(info.get("train_args").get("task").textValue());
        double maxStride = 0;
        for (JsonNode s : info.get("stride")) {
            maxStride = Math.max(maxStride, s.doubleValue());
        }
        assertThat(ckpt.stride()).isEqualTo((int) maxStride).isEqualTo(32);
        assertThat(ckpt.imgsz()).containsExactly(192, 192);
        assertThat(ckpt.trainArgs().get("imgsz")).isEqualTo(info.get("train_args").get("imgsz").longValue());
        assertThat(ckpt.trainArgs()).isEqualTo(toJava(info.get("train_args")));
        assertThat(List.copyOf(ckpt.trainArgs().keySet())).isEqualTo(List.copyOf(
                ((Map<?, ?>) toJava(info.get("train_args"))).keySet()));

        Map<String, Object> yaml = ckpt.modelYaml();
        assertThat(yaml).isEqualTo(toJava(info.get("yaml")));
        assertThat(yaml.get("scale")).isEqualTo(info.get("scale").textValue()).isEqualTo("n");
        assertThat(yaml.get("nc")).isEqualTo(4L);
        assertThat(yaml.get("backbone")).isEqualTo(toJava(info.get("yaml").get("backbone")));
        assertThat(yaml.get("head")).isEqualTo(toJava(info.get("yaml").get("head")));
        assertThat((List<?>) yaml.get("backbone")).first().isEqualTo(List.of(-1L, 1L, "Conv", List.of(64L, 3L, 2L)));
        assertThat(ckpt.end2end()).isEqualTo(info.get("end2end").booleanValue());

        JsonNode head = info.get("head");
        PickledObject detect = ckpt.head();
        assertThat(detect.className()).isEqualTo("ultralytics.nn.modules.head." + head.get("class").textValue());
        assertThat(detect.attribute("nc")).isEqualTo(head.get("nc").longValue());
        assertThat(detect.attribute("reg_max")).isEqualTo(head.get("reg_max").longValue());
        assertThat(detect.attribute("no")).isEqualTo(head.get("no").longValue());
    }

    @ParameterizedTest
    @MethodSource("models")
    void strideTensorHoldsTheRecordedStrides(String model) throws Exception {
        Checkpoint ckpt = checkpoint(model);
        Tensor stride = (Tensor) ckpt.model().attribute("stride");
        assertThat(stride.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(stride.shape()).containsExactly(3);
        List<Double> values = new ArrayList<>();
        for (double v : stride.toDoubleArray()) {
            values.add(v);
        }
        assertThat(values).isEqualTo(toJava(info(model).get("stride")));
    }

    @ParameterizedTest
    @MethodSource("models")
    void stateDictMatchesTheRecordedParameterCount(String model) throws Exception {
        Checkpoint ckpt = checkpoint(model);
        JsonNode info = info(model);
        Map<String, Tensor> sd = ckpt.stateDict();
        Map<String, Tensor> params = ckpt.parameters();

        // Ultralytics' "parameters" count is sum(p.numel() for p in model.parameters()): buffers are not in it
        assertThat(ckpt.parameterCount()).isEqualTo(info.get("n_params").longValue());
        long parameterElements = sd.values().stream().filter(Tensor::isParameter).mapToLong(Tensor::numel).sum();
        assertThat(parameterElements).isEqualTo(info.get("n_params").longValue());
        long allElements = sd.values().stream().mapToLong(Tensor::numel).sum();
        assertThat(allElements).isGreaterThan(parameterElements);
        assertThat(ckpt.modules()).hasSize(info.get("n_layers_modules").intValue());
        assertThat(ckpt.modules().get("")).isSameAs(ckpt.model());

        // every parameter is in the state dict under the same name; the other entries are the BatchNorm buffers
        assertThat(sd).containsAllEntriesOf(params);
        long batchNorms = ckpt.modules().values().stream()
                .filter(m -> m.className().equals("torch.nn.modules.batchnorm.BatchNorm2d")).count();
        assertThat(sd).hasSize(params.size() + 3 * (int) batchNorms);
        for (Map.Entry<String, Tensor> e : sd.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (t.isParameter()) {
                assertThat(name).matches(".*\\.(weight|bias)");
                // stripped checkpoint: strip_optimizer turned requires_grad off everywhere
                assertThat(t.requiresGrad()).isFalse();
            } else {
                assertThat(name).matches(".*\\.bn\\.(running_mean|running_var|num_batches_tracked)");
            }
            if (name.endsWith("num_batches_tracked")) {
                assertThat(t.dtype()).isEqualTo(DType.INT64);
                assertThat(t.shape()).isEmpty();
                // the saved model is the EMA copy, whose integer buffers EMA updates never touch
                assertThat(t.toLongArray()).containsExactly(0L);
            } else {
                assertThat(t.dtype()).as(name).isEqualTo(DType.FLOAT16);
                assertThat(info.get("dtype").textValue()).isEqualTo("torch.float16");
            }
        }
        assertThat(List.copyOf(sd.keySet()).subList(0, 6)).containsExactly("model.0.conv.weight",
                "model.0.bn.weight", "model.0.bn.bias", "model.0.bn.running_mean", "model.0.bn.running_var",
                "model.0.bn.num_batches_tracked");
        System.out.printf("[vision-core] %s best.pt: %d state-dict tensors (%d parameters, %d BatchNorm buffers),"
                + " %,d parameter elements, %,d in all, %d modules%n", model, sd.size(), params.size(),
                sd.size() - params.size(), parameterElements, allElements, ckpt.modules().size());
    }

    @ParameterizedTest
    @MethodSource("models")
    void tensorShapesFollowTheArchitecture(String model) {
        Checkpoint ckpt = checkpoint(model);
        JsonNode info = info(model);
        Map<String, Tensor> sd = ckpt.stateDict();
        // layer 0 is Conv(64, 3, 2) at width 0.25: 16 filters of 3x3 over the 3 input channels
        assertThat(sd.get("model.0.conv.weight").shape()).containsExactly(16, 3, 3, 3);
        assertThat(sd.get("model.0.bn.running_var").shape()).containsExactly(16);
        assertThat(sd.get("model.1.conv.weight").shape()).containsExactly(32, 16, 3, 3);

        int headIndex = info.get("yaml").get("backbone").size() + info.get("yaml").get("head").size() - 1;
        String head = "model." + headIndex + ".";
        long nc = info.get("head").get("nc").longValue();
        long regMax = info.get("head").get("reg_max").longValue();
        assertThat(ckpt.modules().get("model." + headIndex)).isSameAs(ckpt.head());
        // the last 1x1 convolutions of the box (cv2) and class (cv3) branches give 4 * reg_max and nc channels
        long[] cls = sd.get(head + "cv3.0.2.weight").shape();
        long[] box = sd.get(head + "cv2.0.2.weight").shape();
        for (int level = 0; level < 3; level++) {
            assertThat(sd.get(head + "cv3." + level + ".2.weight").shape()).containsExactly(nc, cls[1], 1, 1);
            assertThat(sd.get(head + "cv3." + level + ".2.bias").shape()).containsExactly(nc);
            assertThat(sd.get(head + "cv2." + level + ".2.weight").shape()).containsExactly(4 * regMax, box[1], 1, 1);
            assertThat(sd.get(head + "cv2." + level + ".2.bias").shape()).containsExactly(4 * regMax);
        }
        if (regMax > 1) {
            assertThat(sd.get(head + "dfl.conv.weight").shape()).containsExactly(1, regMax, 1, 1);
        } else {
            assertThat(sd).doesNotContainKey(head + "dfl.conv.weight");
        }
        // the end-to-end YOLO26 keeps both heads
        assertThat(sd.containsKey(head + "one2one_cv3.0.2.weight")).isEqualTo(ckpt.end2end());
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyTensorReadsAsFiniteValues(String model) throws Exception {
        Checkpoint ckpt = checkpoint(model);
        long values = 0;
        for (Map.Entry<String, Tensor> e : ckpt.stateDict().entrySet()) {
            float[] v = e.getValue().toFloatArray();
            assertThat(v.length).isEqualTo(e.getValue().numel());
            for (float f : v) {
                assertThat(Float.isFinite(f)).as(e.getKey()).isTrue();
                if (e.getKey().endsWith("running_var")) {
                    assertThat(f).as(e.getKey()).isPositive();
                }
            }
            values += v.length;
        }
        // the DFL convolution is the fixed arange(16) projection Ultralytics builds it with
        Tensor dfl = ckpt.stateDict().entrySet().stream().filter(e -> e.getKey().endsWith("dfl.conv.weight"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (dfl != null) {
            float[] w = dfl.toFloatArray();
            for (int i = 0; i < w.length; i++) {
                assertThat(w[i]).isEqualTo(i);
            }
        }
        assertThat(values).isGreaterThan(ckpt.parameterCount());
    }
}
