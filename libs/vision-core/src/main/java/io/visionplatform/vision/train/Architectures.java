package io.visionplatform.vision.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.visionplatform.vision.metadata.JsonLiteral;

/**
 * The model definitions a training run can start from by name ({@code yolov8n.yaml}, {@code yolo11s.yaml}, ...): the
 * family's definition (as Ultralytics stores it in a checkpoint's {@code yaml}) with the scale picked from the name and
 * the class count of the dataset.
 */
public final class Architectures {

    private static final Pattern NAME = Pattern.compile("(yolov8|yolo11|yolo26)([nsmlx])\\.ya?ml");

    private Architectures() {
    }

    /** Whether {@code model} names a built-in architecture rather than a weights file. */
    public static boolean isName(String model) {
        return NAME.matcher(model).matches();
    }

    /**
     * @throws IllegalArgumentException when the name is not one of the built-in architectures
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> definition(String name, int nc) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("unknown architecture '" + name
                    + "': expected yolov8, yolo11 or yolo26 with a scale n/s/m/l/x, e.g. yolo11n.yaml");
        }
        String resource = "architectures/" + m.group(1) + ".json";
        try (InputStream in = Architectures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            Map<String, Object> yaml = new LinkedHashMap<>(
                    (Map<String, Object>) JsonLiteral.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            yaml.put("nc", nc);
            yaml.put("scale", m.group(2));
            yaml.put("yaml_file", name);
            return yaml;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }
}
