package io.visionplatform.vision.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.visionplatform.vision.Fixtures;
import io.visionplatform.vision.detect.ModelLoadException;
import io.visionplatform.vision.pt.Checkpoint;
import io.visionplatform.vision.pt.PickledObject;

/** The yaml → architecture resolution, against the checkpoints' own module tree and on made-up definitions. */
class YoloArchitectureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void resolvesEveryFixtureLayerToTheChannelsItsCheckpointHas() {
        for (String model : Fixtures.MODELS) {
            Checkpoint ckpt = Fixtures.checkpoint(model);
            YoloArchitecture arch = YoloArchitecture.parse(ckpt.modelYaml());
            JsonNode yaml = NnFixtures.exportInfo(model).get("yaml");
            assertThat(arch.layers()).hasSize(yaml.get("backbone").size() + yaml.get("head").size());
            assertThat(arch.nc()).isEqualTo(4);
            assertThat(arch.scale()).isEqualTo("n");
            JsonNode scale = yaml.get("scales").get("n");
            assertThat(arch.depthMultiple()).isEqualTo(scale.get(0).asDouble());
            assertThat(arch.widthMultiple()).isEqualTo(scale.get(1).asDouble());
            assertThat(arch.maxChannels()).isEqualTo(scale.get(2).asDouble());
            int checked = 0;
            for (YoloArchitecture.Layer layer : arch.layers()) {
                String prefix = "model." + layer.index();
                PickledObject module = ckpt.modules().get(prefix);
                assertThat(module.className()).as(prefix).endsWith("." + layer.className());
                // the output convolution of the layer, where it has one
                PickledObject out = ckpt.modules().containsKey(prefix + ".cv2.conv") ? ckpt.modules().get(prefix + ".cv2.conv")
                        : ckpt.modules().get(prefix + ".conv");
                if (out != null && !(layer.spec() instanceof YoloArchitecture.DetectSpec)) {
                    assertThat(((Number) out.attribute("out_channels")).intValue()).as("%s %s output channels", model, prefix)
                            .isEqualTo(layer.outChannels());
                    checked++;
                }
            }
            assertThat(checked).isGreaterThan(10);
            YoloArchitecture.DetectSpec detect = arch.detect();
            JsonNode head = Fixtures.json(model, "export_info.json").get("checkpoint");
            assertThat(detect.nc()).isEqualTo(4);
            assertThat(detect.end2end()).isEqualTo(head.get("end2end").asBoolean());
            assertThat(detect.regMax()).isEqualTo(model.startsWith("yolo26") ? 1 : 16);
            assertThat(detect.legacy()).as("%s legacy class branch", model).isEqualTo(model.startsWith("yolov8"));
            System.out.println("[nn] architecture " + model + ": " + arch + ", Detect inputs " + detect.ch() + ", box/cls "
                    + "hidden " + detect.boxChannels() + "/" + detect.classChannels());
        }
    }

    @Test
    void appliesDepthWidthMaxChannelsAndTheC3kFlagPerScale() throws Exception {
        Map<String, Object> yaml = yaml("yolo11n-shapes4");
        yaml.put("scale", "n");
        YoloArchitecture n = YoloArchitecture.parse(yaml);
        assertThat(((YoloArchitecture.C3k2Spec) n.layers().get(2).spec()).c3k()).isFalse();
        assertThat(((YoloArchitecture.C3k2Spec) n.layers().get(6).spec()).c3k()).isTrue();
        assertThat(((YoloArchitecture.C3k2Spec) n.layers().get(2).spec()).n()).isEqualTo(1); // max(round(2 * 0.5), 1)

        yaml.put("scale", "m"); // [0.5, 1.0, 512]: C3k everywhere, 1024 clamped to 512
        YoloArchitecture m = YoloArchitecture.parse(yaml);
        for (YoloArchitecture.Layer layer : m.layers()) {
            if (layer.spec() instanceof YoloArchitecture.C3k2Spec s) {
                assertThat(s.c3k()).as("m-scale C3k2 at layer %d", layer.index()).isTrue();
            }
        }
        assertThat(m.layers().get(7).outChannels()).isEqualTo(512);
        assertThat(m.layers().get(0).outChannels()).isEqualTo(64);

        yaml.put("scale", "x"); // [1.0, 1.5, 512]: min(1024, 512) * 1.5
        YoloArchitecture x = YoloArchitecture.parse(yaml);
        assertThat(x.layers().get(7).outChannels()).isEqualTo(768);
        assertThat(((YoloArchitecture.C3k2Spec) x.layers().get(2).spec()).n()).isEqualTo(2);
        assertThat(x.detect().ch()).containsExactly(384, 768, 768);

        Map<String, Object> v8 = yaml("yolov8n-shapes4");
        v8.put("scale", "m"); // [0.67, 0.75, 768]: 6 repeats -> round(4.02) = 4, 3 -> round(2.01) = 2
        YoloArchitecture v8m = YoloArchitecture.parse(v8);
        assertThat(((YoloArchitecture.C2fSpec) v8m.layers().get(4).spec()).n()).isEqualTo(4);
        assertThat(((YoloArchitecture.C2fSpec) v8m.layers().get(2).spec()).n()).isEqualTo(2);
        assertThat(v8m.layers().get(0).outChannels()).isEqualTo(48);
        assertThat(v8m.layers().get(9).outChannels()).isEqualTo(576); // min(1024, 768) * 0.75

        v8.remove("scale"); // Ultralytics then takes the first scale listed
        assertThat(YoloArchitecture.parse(v8).scale()).isEqualTo("n");
    }

    @Test
    void roundsChannelsUpToMultiplesOfEight() {
        assertThat(YoloArchitecture.makeDivisible(16.0, 8)).isEqualTo(16);
        assertThat(YoloArchitecture.makeDivisible(21.12, 8)).isEqualTo(24);
        assertThat(YoloArchitecture.makeDivisible(0.5, 8)).isEqualTo(8);
    }

    @Test
    void refusesUnsupportedOrMalformedDefinitions() throws Exception {
        Map<String, Object> yaml = yaml("yolov8n-shapes4");
        List<Object> head = new ArrayList<>((List<?>) yaml.get("head"));
        head.set(head.size() - 1, List.of(List.of(15, 18, 21), 1, "Segment", List.of("nc", 32, 256)));
        yaml.put("head", head);
        assertThatThrownBy(() -> YoloArchitecture.parse(yaml)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("Segment");

        Map<String, Object> badFrom = yaml("yolov8n-shapes4");
        List<Object> backbone = new ArrayList<>((List<?>) badFrom.get("backbone"));
        backbone.set(3, List.of(7, 1, "Conv", List.of(256, 3, 2)));
        badFrom.put("backbone", backbone);
        assertThatThrownBy(() -> YoloArchitecture.parse(badFrom)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("not an earlier layer");

        Map<String, Object> badScale = yaml("yolov8n-shapes4");
        badScale.put("scale", "q");
        assertThatThrownBy(() -> YoloArchitecture.parse(badScale)).isInstanceOf(ModelLoadException.class);
        assertThatThrownBy(() -> YoloArchitecture.parse(Map.of())).isInstanceOf(ModelLoadException.class);
    }

    /** The fixture's yaml as plain Java values (what the checkpoint reader gives). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String model) throws Exception {
        JsonNode node = NnFixtures.exportInfo(model).get("yaml");
        return JSON.convertValue(node, LinkedHashMap.class);
    }
}
