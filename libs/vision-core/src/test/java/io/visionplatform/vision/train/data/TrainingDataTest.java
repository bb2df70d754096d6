package io.visionplatform.vision.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.visionplatform.vision.Fixtures;

/** Loading a YOLO dataset folder through its data.yaml. */
class TrainingDataTest {

    @TempDir
    Path dir;

    @Test
    void loadsTheFixtureDatasetFromItsYamlOrFolder() throws IOException {
        Path root = Fixtures.dir().resolve("dataset");
        for (String data : List.of(root.resolve("data.yaml").toString(), root.toString())) {
            TrainingData loaded = TrainingData.load(data, dir);
            assertThat(loaded.names()).containsExactly("circle", "square", "triangle", "cross");
            assertThat(loaded.train()).hasSize(40);
            assertThat(loaded.val()).hasSize(16);
            Sample first = loaded.train().get(0);
            assertThat(first.image().getFileName()).hasToString("train_0000.jpg");
            // labels/train/train_0000.txt starts with "1 0.649038 0.902439 0.099359 0.156098"
            assertThat(first.boxes()).startsWith(1f, 0.649038f, 0.902439f, 0.099359f, 0.156098f);
            assertThat(first.boxCount()).isEqualTo(
                    Files.readAllLines(root.resolve("labels/train/train_0000.txt")).stream().filter(l -> !l.isBlank()).count());
        }
        assertThat(Files.list(dir)).as("a YOLO folder is read in place").isEmpty();
    }

    private Path dataset(String yaml, Map<String, String> labels) throws IOException {
        Files.createDirectories(dir.resolve("images/train"));
        Files.createDirectories(dir.resolve("images/val"));
        Files.createDirectories(dir.resolve("labels/train"));
        SyntheticImages.write(dir.resolve("images/train/a.png"), 32, 32, List.of());
        SyntheticImages.write(dir.resolve("images/train/b.png"), 32, 32, List.of());
        SyntheticImages.write(dir.resolve("images/val/c.png"), 32, 32, List.of());
        for (Map.Entry<String, String> e : labels.entrySet()) {
            Files.writeString(dir.resolve("labels/train/" + e.getKey()), e.getValue());
        }
        Path file = dir.resolve("data.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static final String YAML = """
            # comment
            path: .  # the folder of this file
            train: images/train
            val: 'images/val'
            names: [red, "green", blue]
            """;

    @Test
    void namesAsAnInlineListMissingLabelFileMeansNoBoxesPolygonsBecomeBoxes() throws IOException {
        Path yaml = dataset(YAML, Map.of("a.txt", "2 0.5 0.5 0.2 0.4\n\n0 0.1 0.1 0.3 0.1 0.3 0.5\n2 0.5 0.5 0.2 0.4\n"));
        TrainingData data = TrainingData.load(yaml.toString(), null);
        assertThat(data.names()).containsExactly("red", "green", "blue");
        assertThat(data.train()).extracting(s -> s.image().getFileName().toString()).containsExactly("a.png", "b.png");
        assertThat(data.train().get(0).boxes()).as("duplicate dropped, polygon boxed")
                .containsExactly(new float[] { 2f, 0.5f, 0.5f, 0.2f, 0.4f, 0f, 0.2f, 0.3f, 0.2f, 0.4f }, within(1e-6f));
        assertThat(data.train().get(1).boxes()).isEmpty();
        assertThat(data.val()).hasSize(1);
    }

    @Test
    void aMalformedLabelLineIsReportedWithFileAndLine() throws IOException {
        Path yaml = dataset(YAML, Map.of("b.txt", "0 0.5 0.5 0.2 0.2\n1 0.5 0.5 0.2\n"));
        assertThatThrownBy(() -> TrainingData.load(yaml.toString(), null)).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(dir.resolve("labels/train/b.txt") + ":2:");
    }

    @Test
    void anUnknownClassIdIsReportedWithFileAndLine() throws IOException {
        Path yaml = dataset(YAML, Map.of("a.txt", "\n3 0.5 0.5 0.2 0.2\n"));
        assertThatThrownBy(() -> TrainingData.load(yaml.toString(), null)).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("a.txt:2:").hasMessageContaining("class id 3");
    }

    @Test
    void unnormalisedCoordinatesAreRejected() throws IOException {
        Path yaml = dataset(YAML, Map.of("a.txt", "0 50 40 10 10\n"));
        assertThatThrownBy(() -> TrainingData.load(yaml.toString(), null)).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("a.txt:1:").hasMessageContaining("normalised");
    }

    @Test
    void noTrainImagesIsAnError() throws IOException {
        Path yaml = dataset(YAML.replace("images/train", "images/empty"), Map.of());
        Files.createDirectories(dir.resolve("images/empty"));
        assertThatThrownBy(() -> TrainingData.load(yaml.toString(), null)).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("no train images");
    }

    @Test
    void yamlSubsetBlockListsMapsAndErrors() {
        Map<String, Object> doc = FlatYaml.parse(List.of("train:", "  - a/b", "  - 'c d'", "names:", "  0: x # c",
                "  1: 'y: z'", "nc: 2", "val: {0: p, 1: q}"), Path.of("d.yaml"));
        assertThat(doc.get("train")).isEqualTo(List.of("a/b", "c d"));
        assertThat(doc.get("names")).isEqualTo(Map.of("0", "x", "1", "y: z"));
        assertThat(doc.get("nc")).isEqualTo("2");
        assertThat(doc.get("val")).isEqualTo(Map.of("0", "p", "1", "q"));
        assertThatThrownBy(() -> FlatYaml.parse(List.of("a: 1", "just text"), Path.of("d.yaml")))
                .isInstanceOf(DatasetFormatException.class).hasMessageStartingWith("d.yaml:2:");
        assertThatThrownBy(() -> FlatYaml.parse(List.of("a: [1, 2"), Path.of("d.yaml")))
                .isInstanceOf(DatasetFormatException.class).hasMessageStartingWith("d.yaml:1:");
    }

    @Test
    void labelFilesLiveInTheParallelLabelsFolder() {
        assertThat(YoloLabels.labelFileFor(Path.of("/d/images/train/images/x.1.jpg")))
                .isEqualTo(Path.of("/d/images/train/labels/x.1.txt"));
        assertThat(YoloLabels.labelFileFor(Path.of("/d/pics/x.png"))).isEqualTo(Path.of("/d/pics/x.txt"));
    }
}
