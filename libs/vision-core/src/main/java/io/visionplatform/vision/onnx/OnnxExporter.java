package io.visionplatform.vision.onnx;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.visionplatform.vision.detect.ModelLoadException;
import io.visionplatform.vision.nn.StateDictWeights;
import io.visionplatform.vision.nn.YoloArchitecture;
import io.visionplatform.vision.pt.Checkpoint;

/**
 * Writes an Ultralytics detection checkpoint ({@code best.pt}: YOLOv8, YOLO11, YOLO26) as a standard ONNX model in the
 * layout of Ultralytics' own {@code export(format="onnx")}, without Python, torch or libtorch: the network is the one
 * package {@code nn} rebuilds (same architecture resolution, weights, Conv + BatchNorm folding), emitted as ONNX
 * operators, and the protobuf is encoded here (no protobuf library).
 * <ul>
 * <li>IR version 7, default-domain opset 12, as the reference exports.</li>
 * <li>Input {@code images} float32 {@code [1, 3, H, W]}, static, {@code H, W} = the checkpoint's {@code imgsz}.</li>
 * <li>Output {@code output0}: {@code [1, 4 + nc, N]} (boxes {@code cx, cy, w, h} in input pixels, DFL included, then
 * sigmoid class scores) for YOLOv8 / YOLO11 and for YOLO26 with {@code endToEnd=false}; {@code [1, k, 6]} rows
 * {@code x1, y1, x2, y2, score, class} (k = min(max_det, N)) for YOLO26's end-to-end head.</li>
 * <li>Weights as float32 initializers named after the state dict ({@code model.0.conv.weight}, ... with the folded
 * BatchNorm in {@code model.0.conv.bias}).</li>
 * <li>{@code metadata_props} with Ultralytics' keys, order and Python-literal values: {@code description, author,
 * date, version, license, docs, stride, task, batch, imgsz, names, args, channels, end2end}, so that
 * {@code OnnxDetector} (and Ultralytics' AutoBackend) read names, imgsz, stride and end2end from it.</li>
 * </ul>
 */
public final class OnnxExporter {

    public static final long IR_VERSION = 7;
    public static final long OPSET = 12;
    public static final String PRODUCER_NAME = "vision-core";
    public static final String PRODUCER_VERSION = "0.1.0";
    private static final int DEFAULT_IMGSZ = 640;
    private static final DateTimeFormatter ISO_MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private OnnxExporter() {
    }

    /** Reads {@code checkpoint} and exports it to {@code out}. */
    public static OnnxModelInfo export(Path checkpoint, Path out, ExportOptions options) throws IOException {
        return export(Checkpoint.read(checkpoint), out, options);
    }

    /**
     * Exports {@code checkpoint} to {@code out} (written to a temporary file beside it, then moved into place) and
     * returns what the written file declares.
     *
     * @throws ModelLoadException when the checkpoint is not a supported detection model or its weights do not match
     *         its architecture
     * @throws IllegalArgumentException when the options do not fit the model (an imgsz that is not a multiple of its
     *         stride, an end-to-end head it does not have)
     */
    public static OnnxModelInfo export(Checkpoint checkpoint, Path out, ExportOptions options) throws IOException {
        byte[] model = toBytes(checkpoint, options);
        Path target = out.toAbsolutePath();
        Path dir = target.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.write(tmp, model);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return OnnxModelInfo.parse(model);
    }

    /** The ONNX model of {@code checkpoint} as bytes (e.g. for {@code OnnxDetector.load(byte[])}). */
    public static byte[] toBytes(Checkpoint checkpoint, ExportOptions options) {
        if (!"detect".equals(checkpoint.task())) {
            throw new ModelLoadException("only detection models can be exported, this one is '" + checkpoint.task()
                    + "'");
        }
        YoloArchitecture arch = YoloArchitecture.parse(checkpoint.modelYaml());
        List<Integer> imgsz = options.imgsz() != null ? options.imgsz()
                : checkpoint.imgsz().isEmpty() ? List.of(DEFAULT_IMGSZ, DEFAULT_IMGSZ) : checkpoint.imgsz();
        int recordedStride = checkpoint.stride();
        if (recordedStride > 0 && (imgsz.get(0) % recordedStride != 0 || imgsz.get(1) % recordedStride != 0)) {
            throw new IllegalArgumentException("imgsz " + imgsz + " is not a multiple of the stride " + recordedStride);
        }
        YoloArchitecture.DetectSpec detect = arch.detect();
        boolean endToEnd = options.endToEnd() != null ? options.endToEnd() : detect.end2end();
        StateDictWeights weights = new StateDictWeights(checkpoint);
        YoloGraphBuilder.Result built = YoloGraphBuilder.build(arch, weights, imgsz.get(0), imgsz.get(1), endToEnd,
                options.maxDet());
        // every tensor must have found its place, except the branches of the head that is not exported
        String head = "model." + (arch.layers().size() - 1) + ".";
        List<String> ignored = !detect.end2end() ? List.of()
                : endToEnd ? List.of(head + "cv2.", head + "cv3.") : List.of(head + "one2one_");
        weights.requireAllTaken(ignored);
        int stride = 0;
        for (float s : built.strides()) {
            stride = Math.max(stride, (int) s);
        }
        String date = options.date() != null ? options.date() : LocalDateTime.now().format(ISO_MICROS);
        List<Map.Entry<String, String>> props = metadata(checkpoint, arch, imgsz, stride, endToEnd, date);
        return built.graph().model(IR_VERSION, PRODUCER_NAME, PRODUCER_VERSION, OPSET, props);
    }

    /** Ultralytics' export metadata, in its order, each value as {@code str()} of the Python value. */
    static List<Map.Entry<String, String>> metadata(Checkpoint checkpoint, YoloArchitecture arch,
            List<Integer> imgsz, int stride, boolean endToEnd, String date) {
        List<Map.Entry<String, String>> props = new ArrayList<>();
        Object data = checkpoint.trainArgs().get("data");
        props.add(Map.entry("description", "Ultralytics " + prettyName(checkpoint) + " model "
                + (data instanceof String s && !s.isEmpty() ? "trained on " + s : "")));
        props.add(Map.entry("author", "Ultralytics"));
        props.add(Map.entry("date", date));
        if (checkpoint.version() != null) {
            props.add(Map.entry("version", checkpoint.version()));
        }
        props.add(Map.entry("license", "AGPL-3.0 License (https://ultralytics.com/license)"));
        props.add(Map.entry("docs", "https://docs.ultralytics.com"));
        props.add(Map.entry("stride", Integer.toString(stride)));
        props.add(Map.entry("task", checkpoint.task()));
        props.add(Map.entry("batch", "1"));
        props.add(Map.entry("imgsz", PythonRepr.repr(imgsz)));
        Map<Integer, String> names = new LinkedHashMap<>();
        List<String> list = checkpoint.names();
        int nc = arch.detect().nc();
        for (int i = 0; i < nc; i++) {
            names.put(i, i < list.size() ? list.get(i) : "class" + i);
        }
        props.add(Map.entry("names", PythonRepr.repr(names)));
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("batch", 1);
        args.put("half", false);
        args.put("dynamic", false);
        args.put("simplify", false);
        args.put("opset", (int) OPSET);
        args.put("nms", false);
        props.add(Map.entry("args", PythonRepr.repr(args)));
        props.add(Map.entry("channels", Integer.toString(arch.inputChannels())));
        props.add(Map.entry("end2end", PythonRepr.repr(endToEnd)));
        return props;
    }

    /** {@code Path(yaml.get("yaml_file", file)).stem.replace("yolo", "YOLO")}, as Ultralytics names its models. */
    static String prettyName(Checkpoint checkpoint) {
        Object yamlFile = checkpoint.modelYaml().get("yaml_file");
        String file = yamlFile instanceof String s && !s.isEmpty() ? s
                : checkpoint.file() != null ? checkpoint.file().getFileName().toString() : "model";
        String base = file.substring(file.lastIndexOf('/') + 1);
        int dot = base.lastIndexOf('.');
        String stem = dot > 0 ? base.substring(0, dot) : base;
        return stem.replace("yolo", "YOLO");
    }
}
