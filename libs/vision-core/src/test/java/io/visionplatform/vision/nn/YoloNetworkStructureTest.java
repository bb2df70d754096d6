package io.visionplatform.vision.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.detect.ModelLoadException;
import io.visionplatform.vision.pt.Checkpoint;

/** Building each fixture consumes every state-dict tensor with the shape the resolved architecture predicts. */
class YoloNetworkStructureTest {

    @Test
    void everyTensorIsConsumedAndTheParameterCountMatches() {
        for (String model : Fixtures.MODELS) {
            Checkpoint ckpt = Fixtures.checkpoint(model);
            YoloNetwork net = NnFixtures.network(model);
            JsonNode info = NnFixtures.exportInfo(model);
            assertThat(net.tensorCount()).as("%s tensors taken", model).isEqualTo(ckpt.stateDict().size());
            assertThat(net.parameterCount()).as("%s parameters", model).isEqualTo(info.get("n_params").asLong())
                    .isEqualTo(ckpt.parameterCount());
            JsonNode stride = info.get("stride");
            float[] strides = net.strides();
            assertThat(strides).hasSize(stride.size());
            for (int i = 0; i < strides.length; i++) {
                assertThat((double) strides[i]).isEqualTo(stride.get(i).asDouble());
            }
            assertThat(net.endToEnd()).isEqualTo(info.get("end2end").asBoolean());
            assertThat(net.has(YoloNetwork.Head.ONE_TO_MANY)).isTrue(); // YOLO26's training head is in best.pt too
            assertThat(net.has(YoloNetwork.Head.ONE_TO_ONE)).isEqualTo(net.endToEnd());
            assertThat(net.maxDet()).isEqualTo(300);
            System.out.printf("[nn] structure %s: %d/%d state-dict tensors consumed, %,d parameters (export_info %,d), "
                    + "strides %s, end2end %s%n", model, net.tensorCount(), ckpt.stateDict().size(), net.parameterCount(),
                    info.get("n_params").asLong(), java.util.Arrays.toString(strides), net.endToEnd());
        }
    }

    @Test
    void aYamlThatDoesNotMatchTheWeightsIsRefused() throws Exception {
        Checkpoint v8 = Fixtures.checkpoint("yolov8n-shapes4");
        Map<String, Object> wider = YoloArchitectureTest.yaml("yolov8n-shapes4");
        wider.put("scale", "s");
        assertThatThrownBy(() -> YoloNetwork.load(v8, wider, null)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("model.0.conv.weight").hasMessageContaining("shape");

        Checkpoint v11 = Fixtures.checkpoint("yolo11n-shapes4");
        Map<String, Object> noC3k = YoloArchitectureTest.yaml("yolo11n-shapes4");
        List<Object> backbone = new ArrayList<>((List<?>) noC3k.get("backbone"));
        backbone.set(6, List.of(-1, 2, "C3k2", List.of(512, false)));
        noC3k.put("backbone", backbone);
        assertThatThrownBy(() -> YoloNetwork.load(v11, noC3k, null)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("model.6");

        Checkpoint v26 = Fixtures.checkpoint("yolo26n-shapes4");
        Map<String, Object> noAttn = YoloArchitectureTest.yaml("yolo26n-shapes4");
        List<Object> head = new ArrayList<>((List<?>) noAttn.get("head"));
        head.set(11, List.of(-1, 1, "C3k2", List.of(1024, true, 0.5, false)));
        noAttn.put("head", head);
        assertThatThrownBy(() -> YoloNetwork.load(v26, noAttn, null)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("model.22");

        Map<String, Object> notEndToEnd = YoloArchitectureTest.yaml("yolo26n-shapes4");
        notEndToEnd.put("end2end", false); // the one-to-one branches are then left over
        assertThatThrownBy(() -> YoloNetwork.load(v26, notEndToEnd, null)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("not used").hasMessageContaining("one2one");
    }
}
