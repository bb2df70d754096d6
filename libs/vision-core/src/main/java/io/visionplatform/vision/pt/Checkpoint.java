package io.visionplatform.vision.pt;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A PyTorch zip checkpoint ({@code torch.save}), read without running any of it: the zip is checked (entry count, names,
 * sizes), the single {@code <prefix>/data.pkl} goes through {@link PickleReader} with the storages of
 * {@code <prefix>/data/<key>} as persistent ids, and the Ultralytics fields are picked out of the result. Tensor values
 * are read from the file only when asked for ({@link Tensor#toFloatArray()}), so the file must stay in place.
 *
 * <pre>{@code
 * Checkpoint ckpt = Checkpoint.read(Path.of("best.pt"));
 * ckpt.names(); // [circle, square, triangle, cross]
 * ckpt.stateDict().get("model.0.conv.weight"); // Tensor[FLOAT16, shape=[16, 3, 3, 3]]
 * }</pre>
 *
 * Everything below is computed and validated by {@link #read(Path)}; a checkpoint whose fields have the wrong types throws
 * {@link CheckpointException} there, so the accessors never fail. Instances are immutable apart from the raw pickled
 * values ({@link #root()}, {@link #model()}), which should be treated as read-only.
 */
public final class Checkpoint {

    /** The most entries the zip may have. */
    public static final int MAX_ZIP_ENTRIES = 100_000;
    /** The most modules nested inside each other. */
    public static final int MAX_MODULE_DEPTH = 128;
    /** The most module paths, state-dict entries and parameters walked. */
    public static final int MAX_WALK_ENTRIES = 1_000_000;

    private static final Pattern STORAGE_KEY = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private final Path file;
    private final Map<String, Object> root;
    private final PickledObject model;
    private final Map<String, Object> modelYaml;
    private final List<String> names;
    private final String task;
    private final int stride;
    private final List<Integer> imgsz;
    private final Map<String, Object> trainArgs;
    private final Map<String, PickledObject> modules;
    private final Map<String, Tensor> stateDict;
    private final Map<String, Tensor> parameters;
    private final boolean end2end;
    private final String version;
    private final String date;
    private final Integer epoch;
    private final Double bestFitness;

    private Checkpoint(Path file, Map<String, Object> root) throws CheckpointException {
        this.file = file;
        this.root = Collections.unmodifiableMap(root);
        this.model = pickModel(root);
        Map<String, Object> attributes = model.attributes();
        this.modelYaml = stringMap(attributes.get("yaml"), "model.yaml");
        this.trainArgs = stringMap(root.get("train_args"), "train_args");
        Map<String, Object> modelArgs = stringMap(attributes.get("args"), "model.args");
        this.names = names(attributes.containsKey("names") ? attributes.get("names") : modelYaml.get("names"));
        this.task = task(model, modelArgs, trainArgs);
        this.stride = stride(attributes.get("stride"));
        this.imgsz = imgsz(trainArgs.containsKey("imgsz") ? trainArgs.get("imgsz") : modelArgs.get("imgsz"));
        Walk walk = new Walk();
        walk.module("", model, 0, Collections.newSetFromMap(new IdentityHashMap<>()));
        this.modules = Collections.unmodifiableMap(walk.modules);
        this.stateDict = Collections.unmodifiableMap(walk.stateDict);
        this.parameters = Collections.unmodifiableMap(walk.parameters);
        this.end2end = computeEnd2end();
        this.version = optionalString(root.get("version"), "version");
        this.date = optionalString(root.get("date"), "date");
        this.epoch = epoch(root.get("epoch"));
        this.bestFitness = optionalNumber(root.get("best_fitness"), "best_fitness");
    }

    /** Reads a checkpoint with {@link PickleReader.Limits#defaults()}. */
    public static Checkpoint read(Path file) throws IOException {
        return read(file, PickleReader.Limits.defaults());
    }

    /**
     * Reads a checkpoint.
     *
     * @throws CheckpointException the file is not an acceptable checkpoint (see the subclasses)
     * @throws IOException the file cannot be read
     */
    public static Checkpoint read(Path file, PickleReader.Limits limits) throws IOException {
        Path path = file.toAbsolutePath();
        Map<String, Long> sizes = new HashMap<>();
        String prefix;
        byte[] pickle;
        ByteOrder order;
        try (ZipFile zip = openZip(path)) {
            prefix = scan(zip, sizes);
            pickle = readEntry(zip, prefix + "/data.pkl", limits.maxPickleBytes());
            order = byteOrder(zip, prefix);
        }
        Storages storages = new Storages(path, prefix, sizes, order);
        Object root = new PickleReader(limits, storages::load).read(pickle);
        if (!(root instanceof Map<?, ?> dict)) {
            throw new CheckpointException("the checkpoint's top-level object is a " + Describe.type(root)
                    + ", not a dict");
        }
        Map<String, Object> top = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new CheckpointException("the checkpoint dict has a " + Describe.type(e.getKey()) + " key");
            }
            top.put(key, e.getValue());
        }
        return new Checkpoint(path, top);
    }

    // ---- accessors ----

    /** The file the tensors are read from. */
    public Path file() {
        return file;
    }

    /** The unpickled top-level dict: {@code model}, {@code ema}, {@code train_args}, {@code date}, ... */
    public Map<String, Object> root() {
        return root;
    }

    /**
     * The model: {@code ema} when it is not None, else {@code model} (Ultralytics' {@code ckpt.get("ema") or
     * ckpt["model"]}), e.g. an {@code ultralytics.nn.tasks.DetectionModel}.
     */
    public PickledObject model() {
        return model;
    }

    /** The model's {@code yaml} attribute: the parsed architecture ({@code backbone}, {@code head}, {@code nc}, ...). */
    public Map<String, Object> modelYaml() {
        return modelYaml;
    }

    /** Class names indexed by class id, from the model's {@code names} (a dict of id → name, or a list); may be empty. */
    public List<String> names() {
        return names;
    }

    /**
     * The task: the model's {@code task} attribute, else its {@code args["task"]}, else {@code train_args["task"]},
     * else from the model class ({@code SegmentationModel} → {@code segment}, ...), else {@code detect}.
     */
    public String task() {
        return task;
    }

    /** The largest value of the model's {@code stride} tensor (32 when the model has none). */
    public int stride() {
        return stride;
    }

    /** The training image size as {@code [height, width]} from {@code train_args.imgsz} (an int means square); may be empty. */
    public List<Integer> imgsz() {
        return imgsz;
    }

    /** {@code train_args} (a dict, or a namespace's attributes); empty when absent. */
    public Map<String, Object> trainArgs() {
        return trainArgs;
    }

    /**
     * The model's {@code state_dict()}: parameters and persistent buffers by their PyTorch names
     * ({@code model.0.conv.weight}, {@code model.0.bn.running_mean}, ...), in PyTorch's order. None entries are skipped,
     * and so are buffers listed in {@code _non_persistent_buffers_set}. A module reachable by two paths appears under
     * both, as in PyTorch.
     */
    public Map<String, Tensor> stateDict() {
        return stateDict;
    }

    /** {@code named_parameters()}: the {@code nn.Parameter}s only, each tensor once (the first name wins). */
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    /** {@code sum(p.numel() for p in model.parameters())}, the count in Ultralytics' model summary. */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : parameters.values()) {
            n += t.numel();
        }
        return n;
    }

    /** {@code named_modules()}: every module once, {@code ""} for the model itself, in pre-order. */
    public Map<String, PickledObject> modules() {
        return modules;
    }

    /**
     * The last module of the model's {@code model} sequence: the head ({@code Detect}, ...), or null when there is no
     * such sequence.
     */
    public PickledObject head() {
        Object sequence = model.attribute("_modules") instanceof Map<?, ?> m ? m.get("model") : null;
        if (sequence instanceof PickledObject s && s.attribute("_modules") instanceof Map<?, ?> layers
                && !layers.isEmpty()) {
            Object last = null;
            for (Object o : layers.values()) {
                last = o;
            }
            return last instanceof PickledObject p ? p : null;
        }
        return null;
    }

    /** Whether the model is end-to-end (NMS-free, e.g. YOLO26): the head's {@code end2end}, else the yaml's. */
    public boolean end2end() {
        return end2end;
    }

    /** The Ultralytics version that wrote the checkpoint, or null. */
    public String version() {
        return version;
    }

    /** When the checkpoint was written (ISO text), or null. */
    public String date() {
        return date;
    }

    /** The epoch ({@code -1} once training finished and the checkpoint was stripped), or null. */
    public Integer epoch() {
        return epoch;
    }

    /** The best fitness, or null (stripped checkpoints store None). */
    public Double bestFitness() {
        return bestFitness;
    }

    // ---- the zip ----

    private static ZipFile openZip(Path path) throws IOException {
        try {
            return new ZipFile(path.toFile());
        } catch (ZipException | EOFException e) {
            throw new CheckpointException("not a valid zip archive: " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new CheckpointException("not a valid zip archive: " + path + ": " + e, e);
        }
    }

    /** Checks every entry and returns the prefix of the single {@code <prefix>/data.pkl}. */
    private static String scan(ZipFile zip, Map<String, Long> sizes) throws CheckpointException {
        List<String> pickles = new ArrayList<>();
        try {
            if (zip.size() > MAX_ZIP_ENTRIES) {
                throw new CheckpointException("the zip has " + zip.size() + " entries, more than " + MAX_ZIP_ENTRIES);
            }
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                checkName(name);
                if (sizes.put(name, entry.getSize()) != null) {
                    throw new CheckpointException("the zip has two entries named '" + Describe.text(name) + "'");
                }
                int slash = name.indexOf('/');
                if (slash > 0 && name.substring(slash).equals("/data.pkl")) {
                    pickles.add(name);
                }
            }
        } catch (RuntimeException e) {
            throw new CheckpointException("not a valid zip archive: " + e, e);
        }
        if (pickles.size() != 1) {
            throw new CheckpointException(pickles.isEmpty() ? "not a PyTorch checkpoint: no <prefix>/data.pkl entry"
                    : "ambiguous PyTorch checkpoint: " + pickles.size() + " data.pkl entries");
        }
        return pickles.get(0).substring(0, pickles.get(0).length() - "/data.pkl".length());
    }

    /** Refuses names that would escape a folder if extracted: {@code ..} segments, absolute paths, backslashes. */
    private static void checkName(String name) throws CheckpointException {
        boolean bad = name.isEmpty() || name.startsWith("/") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0
                || (name.length() >= 2 && name.charAt(1) == ':');
        for (String segment : name.split("/", -1)) {
            bad |= segment.equals("..");
        }
        if (bad) {
            throw new CheckpointException("refused zip entry name '" + Describe.text(name)
                    + "': absolute, or with '..' or '\\'");
        }
    }

    /** An entry's bytes, refusing more than {@code max}. */
    private static byte[] readEntry(ZipFile zip, String name, int max) throws IOException {
        try {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                throw new CheckpointException("zip entry '" + Describe.text(name) + "' is missing");
            }
            if (entry.getSize() > max) {
                throw new PickleLimitException("zip entry '" + Describe.text(name) + "' has " + entry.getSize()
                        + " bytes, more than the limit of " + max);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                byte[] bytes = in.readNBytes(max);
                if (bytes.length == max && in.read() != -1) {
                    throw new PickleLimitException("zip entry '" + Describe.text(name) + "' exceeds " + max + " bytes");
                }
                return bytes;
            }
        } catch (ZipException | EOFException e) {
            throw new CheckpointException("cannot read zip entry '" + Describe.text(name) + "': " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new CheckpointException("cannot read zip entry '" + Describe.text(name) + "': " + e, e);
        }
    }

    /** {@code <prefix>/byteorder} says {@code little} or {@code big}; without it the storages are little-endian. */
    private static ByteOrder byteOrder(ZipFile zip, String prefix) throws IOException {
        String name = prefix + "/byteorder";
        if (zip.getEntry(name) == null) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        String text = new String(readEntry(zip, name, 16), StandardCharsets.US_ASCII).strip();
        switch (text) {
            case "little":
                return ByteOrder.LITTLE_ENDIAN;
            case "big":
                return ByteOrder.BIG_ENDIAN;
            default:
                throw new CheckpointException("unknown byteorder '" + Describe.text(text) + "'");
        }
    }

    /** The persistent loader: {@code ('storage', torch.XStorage, key, location, numel)} → a {@link TorchStorage}. */
    private static final class Storages {
        private final Path path;
        private final String prefix;
        private final Map<String, Long> sizes;
        private final ByteOrder order;
        private final Map<String, TorchStorage> byKey = new HashMap<>();

        Storages(Path path, String prefix, Map<String, Long> sizes, ByteOrder order) {
            this.path = path;
            this.prefix = prefix;
            this.sizes = sizes;
            this.order = order;
        }

        Object load(Object pid) throws CheckpointException {
            if (!(pid instanceof PyTuple t) || t.size() != 5 || !"storage".equals(t.get(0))) {
                throw new CheckpointException("unsupported persistent id " + Describe.brief(pid)
                        + ": expected ('storage', type, key, location, numel)");
            }
            if (!(t.get(1) instanceof PickleGlobal type) || !type.module().equals("torch")
                    || DType.fromStorageClass(type.name()) == null) {
                throw new CheckpointException("unsupported storage type " + Describe.brief(t.get(1)));
            }
            if (!(t.get(2) instanceof String key) || !STORAGE_KEY.matcher(key).matches()) {
                throw new CheckpointException("bad storage key " + Describe.brief(t.get(2)));
            }
            if (!(t.get(3) instanceof String location) || !(t.get(4) instanceof Long numel)) {
                throw new CheckpointException("bad storage location or size in persistent id for '" + key + "'");
            }
            DType dtype = DType.fromStorageClass(type.name());
            TorchStorage known = byKey.get(key);
            if (known != null) {
                if (known.dtype() != dtype || known.numel() != numel) {
                    throw new CheckpointException("storage '" + key + "' is named twice with different types or sizes");
                }
                return known;
            }
            String entry = prefix + "/data/" + key;
            Long size = sizes.get(entry);
            if (size == null) {
                throw new CheckpointException("storage entry '" + entry + "' is missing from the zip");
            }
            TorchStorage storage = TorchStorage.of(key, dtype, location, numel, order, this::read);
            if (size >= 0 && size != storage.nbytes()) {
                throw new CheckpointException("storage entry '" + entry + "' has " + size + " bytes, but " + numel
                        + " " + dtype + " elements need " + storage.nbytes());
            }
            byKey.put(key, storage);
            return storage;
        }

        /** Reopens the zip and reads exactly the storage's bytes. */
        byte[] read(TorchStorage storage) throws IOException {
            String name = prefix + "/data/" + storage.key();
            try (ZipFile zip = openZip(path)) {
                ZipEntry entry = zip.getEntry(name);
                if (entry == null) {
                    throw new CheckpointException("storage entry '" + name + "' is missing (was the file replaced?)");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    byte[] bytes = in.readNBytes((int) storage.nbytes());
                    if (bytes.length != storage.nbytes() || in.read() != -1) {
                        throw new CheckpointException("storage entry '" + name + "' does not have the "
                                + storage.nbytes() + " bytes its tensors need");
                    }
                    return bytes;
                }
            } catch (ZipException | EOFException e) {
                throw new CheckpointException("cannot read storage entry '" + name + "': " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new CheckpointException("cannot read storage entry '" + name + "': " + e, e);
            }
        }
    }

    // ---- the Ultralytics fields ----

    private static PickledObject pickModel(Map<String, Object> root) throws CheckpointException {
        Object ema = root.get("ema");
        Object chosen = ema != null ? ema : root.get("model");
        String which = ema != null ? "ema" : "model";
        if (chosen == null) {
            throw new CheckpointException("not an Ultralytics checkpoint: no 'model' or 'ema' (keys: "
                    + Describe.text(String.join(", ", root.keySet())) + ")");
        }
        if (!(chosen instanceof PickledObject o)) {
            throw new CheckpointException("'" + which + "' is a " + Describe.type(chosen) + ", not a pickled model");
        }
        return o;
    }

    /** A dict with str keys, or an object's attributes (a namespace); empty for None/absent. */
    private static Map<String, Object> stringMap(Object value, String what) throws CheckpointException {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof PickledObject o) {
            return o.attributes();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new CheckpointException("'" + what + "' is a " + Describe.type(value) + ", not a dict");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new CheckpointException("'" + what + "' has a " + Describe.type(e.getKey()) + " key");
            }
            out.put(key, e.getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    private static List<String> names(Object value) throws CheckpointException {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object o : list) {
                out.add(name(o));
            }
            return List.copyOf(out);
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new CheckpointException("model.names is a " + Describe.type(value) + ", not a dict or list");
        }
        TreeMap<Long, String> byId = new TreeMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Long id = null;
            if (e.getKey() instanceof Long l) {
                id = l;
            } else if (e.getKey() instanceof String s && s.matches("[0-9]{1,9}")) {
                id = Long.parseLong(s);
            }
            if (id == null) {
                throw new CheckpointException("model.names has a non-integer class id " + Describe.brief(e.getKey()));
            }
            byId.put(id, name(e.getValue()));
        }
        if (!byId.isEmpty() && (byId.firstKey() != 0 || byId.lastKey() != byId.size() - 1)) {
            throw new CheckpointException("model.names class ids must be 0.." + (byId.size() - 1));
        }
        return List.copyOf(byId.values());
    }

    private static String name(Object o) throws CheckpointException {
        if (o instanceof String s) {
            return s;
        }
        throw new CheckpointException("model.names has a " + Describe.type(o) + " name, not a str");
    }

    private static String task(PickledObject model, Map<String, Object> modelArgs, Map<String, Object> trainArgs)
            throws CheckpointException {
        for (Object candidate : new Object[] { model.attribute("task"), modelArgs.get("task"), trainArgs.get("task") }) {
            if (candidate instanceof String s && !s.isBlank()) {
                return s;
            }
            if (candidate != null) {
                throw new CheckpointException("task is a " + Describe.type(candidate) + ", not a str");
            }
        }
        switch (model.type().name()) {
            case "SegmentationModel":
                return "segment";
            case "PoseModel":
                return "pose";
            case "ClassificationModel":
                return "classify";
            case "OBBModel":
                return "obb";
            default:
                return "detect";
        }
    }

    private static int stride(Object value) throws CheckpointException {
        if (value == null) {
            return 32;
        }
        double[] values;
        if (value instanceof Tensor t) {
            if (t.numel() == 0 || t.numel() > 1024) {
                throw new CheckpointException("model.stride has " + t.numel() + " elements");
            }
            try {
                values = t.toDoubleArray();
            } catch (CheckpointException e) {
                throw e;
            } catch (IOException e) {
                throw new CheckpointException("cannot read model.stride: " + e.getMessage(), e);
            }
        } else if (value instanceof List<?> list && !list.isEmpty() && list.size() <= 1024) {
            values = new double[list.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = number(list.get(i), "model.stride");
            }
        } else {
            values = new double[] { number(value, "model.stride") };
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        if (!(max >= 1 && max <= 1 << 16)) {
            throw new CheckpointException("model.stride " + max + " is not a usable stride");
        }
        return (int) max;
    }

    private static List<Integer> imgsz(Object value) throws CheckpointException {
        if (value == null) {
            return List.of();
        }
        List<Integer> sizes = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object o : list) {
                sizes.add(size(o));
            }
        } else {
            sizes.add(size(value));
        }
        if (sizes.size() == 1) {
            sizes.add(sizes.get(0));
        }
        if (sizes.size() != 2) {
            throw new CheckpointException("train_args.imgsz has " + sizes.size() + " sizes");
        }
        return List.copyOf(sizes);
    }

    private static int size(Object o) throws CheckpointException {
        if (o instanceof Long l && l > 0 && l <= 1 << 20) {
            return l.intValue();
        }
        throw new CheckpointException("train_args.imgsz has " + Describe.brief(o) + ", not a positive int");
    }

    private boolean computeEnd2end() throws CheckpointException {
        PickledObject head = head();
        Object value = head != null && head.attribute("end2end") != null ? head.attribute("end2end")
                : modelYaml.get("end2end");
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new CheckpointException("end2end is a " + Describe.type(value) + ", not a bool");
    }

    private static String optionalString(Object value, String what) throws CheckpointException {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new CheckpointException("'" + what + "' is a " + Describe.type(value) + ", not a str");
    }

    private static Integer epoch(Object value) throws CheckpointException {
        if (value == null) {
            return null;
        }
        if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        throw new CheckpointException("'epoch' is " + Describe.brief(value) + ", not an int");
    }

    private static Double optionalNumber(Object value, String what) throws CheckpointException {
        return value == null ? null : number(value, what);
    }

    private static double number(Object value, String what) throws CheckpointException {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof BigInteger b) {
            return b.doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof Tensor t && t.numel() == 1) {
            try {
                return t.toDoubleArray()[0];
            } catch (CheckpointException e) {
                throw e;
            } catch (IOException e) {
                throw new CheckpointException("cannot read '" + what + "': " + e.getMessage(), e);
            }
        }
        throw new CheckpointException("'" + what + "' is a " + Describe.type(value) + ", not a number");
    }

    /** The module tree walk behind {@link #modules()}, {@link #stateDict()} and {@link #parameters()}. */
    private static final class Walk {
        final Map<String, PickledObject> modules = new LinkedHashMap<>();
        final Map<String, Tensor> stateDict = new LinkedHashMap<>();
        final Map<String, Tensor> parameters = new LinkedHashMap<>();
        private final Set<PickledObject> seenModules = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Set<Tensor> seenParameters = Collections.newSetFromMap(new IdentityHashMap<>());
        private int steps;

        void module(String name, PickledObject module, int depth, Set<PickledObject> ancestors)
                throws CheckpointException {
            if (depth > MAX_MODULE_DEPTH) {
                throw new CheckpointException("modules nested deeper than " + MAX_MODULE_DEPTH + " at '"
                        + Describe.text(name) + "'");
            }
            if (!ancestors.add(module)) {
                throw new CheckpointException("module '" + Describe.text(name) + "' contains itself");
            }
            step();
            String prefix = name.isEmpty() ? "" : name + ".";
            boolean first = seenModules.add(module);
            if (first) {
                modules.put(name, module);
            }
            Map<String, Object> params = tensorsOf(module, "_parameters", name);
            Set<?> nonPersistent = module.attribute("_non_persistent_buffers_set") instanceof Set<?> s ? s : Set.of();
            for (Map.Entry<String, Object> e : params.entrySet()) {
                Tensor t = (Tensor) e.getValue();
                step();
                stateDict.put(prefix + e.getKey(), t);
                if (seenParameters.add(t)) {
                    parameters.put(prefix + e.getKey(), t);
                }
            }
            for (Map.Entry<String, Object> e : tensorsOf(module, "_buffers", name).entrySet()) {
                step();
                if (!nonPersistent.contains(e.getKey())) {
                    stateDict.put(prefix + e.getKey(), (Tensor) e.getValue());
                }
            }
            Object children = module.attribute("_modules");
            if (children != null) {
                if (!(children instanceof Map<?, ?> map)) {
                    throw new CheckpointException("'" + prefix + "_modules' is a " + Describe.type(children));
                }
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String childName)) {
                        throw new CheckpointException("'" + prefix + "_modules' has a " + Describe.type(e.getKey())
                                + " key");
                    }
                    if (e.getValue() == null) {
                        continue;
                    }
                    if (!(e.getValue() instanceof PickledObject child)) {
                        throw new CheckpointException("module '" + Describe.text(prefix + childName) + "' is a "
                                + Describe.type(e.getValue()));
                    }
                    module(prefix + childName, child, depth + 1, ancestors);
                }
            }
            ancestors.remove(module);
        }

        /** {@code _parameters} or {@code _buffers}: str → tensor, None entries dropped. */
        private Map<String, Object> tensorsOf(PickledObject module, String attribute, String name)
                throws CheckpointException {
            Object value = module.attribute(attribute);
            if (value == null) {
                return Map.of();
            }
            if (!(value instanceof Map<?, ?> map)) {
                throw new CheckpointException("'" + Describe.text(name) + "." + attribute + "' is a "
                        + Describe.type(value));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new CheckpointException("'" + Describe.text(name) + "." + attribute + "' has a "
                            + Describe.type(e.getKey()) + " key");
                }
                if (e.getValue() == null) {
                    continue;
                }
                if (!(e.getValue() instanceof Tensor)) {
                    throw new CheckpointException("'" + Describe.text(name) + "." + attribute + "[" + key + "]' is a "
                            + Describe.type(e.getValue()) + ", not a tensor");
                }
                out.put(key, e.getValue());
            }
            return out;
        }

        private void step() throws CheckpointException {
            if (++steps > MAX_WALK_ENTRIES) {
                throw new CheckpointException("more than " + MAX_WALK_ENTRIES + " modules and tensors");
            }
        }
    }
}
