package io.visionplatform.vision.pt;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A pickle virtual machine that never imports or calls anything. It understands the opcodes of protocols 0 to 4 (and
 * {@code BYTEARRAY8} of 5) and turns a stream into plain Java values:
 *
 * <table>
 * <caption>Python value → Java value</caption>
 * <tr>
 * <td>None, bool, int, float</td>
 * <td>{@code null}, {@link Boolean}, {@link Long} (or {@link BigInteger} when it does
 * not fit), {@link Double}</td>
 * </tr>
 * <tr>
 * <td>str, bytes</td>
 * <td>{@link String}, {@code byte[]}</td>
 * </tr>
 * <tr>
 * <td>list, tuple, dict / OrderedDict, set / frozenset</td>
 * <td>{@link ArrayList}, {@link PyTuple},
 * {@link LinkedHashMap}, {@link LinkedHashSet}</td>
 * </tr>
 * <tr>
 * <td>tensor, parameter</td>
 * <td>{@link Tensor}</td>
 * </tr>
 * <tr>
 * <td>instance of an allowed class</td>
 * <td>{@link PickledObject}</td>
 * </tr>
 * <tr>
 * <td>allowed class, dtype or storage type used as a value</td>
 * <td>{@link PickleGlobal}</td>
 * </tr>
 * </table>
 *
 * <p>
 * Globals ({@code GLOBAL}, {@code STACK_GLOBAL}, {@code INST}) are checked against an allow-list when they are named;
 * anything else ({@code os.system}, {@code builtins.eval}, {@code subprocess.Popen}, ...) throws
 * {@link UnsafePickleException} at once. Allowed are:
 * <ul>
 * <li>the tensor rebuild functions {@code torch._utils._rebuild_tensor_v2}, {@code _rebuild_tensor},
 * {@code _rebuild_parameter}, {@code _rebuild_parameter_with_state} and {@code torch._tensor._rebuild_from_type_v2},
 * emulated here (they build a {@link Tensor} over the storage the persistent loader returns);</li>
 * <li>the containers {@code collections.OrderedDict}, {@code builtins.set}, {@code builtins.frozenset},
 * {@code torch.Size}, and {@code copyreg._reconstructor}, emulated;</li>
 * <li>numpy scalars ({@code numpy.core.multiarray.scalar} with a {@code numpy.dtype}, and {@code _codecs.encode} with
 * latin-1, which protocol 2 uses for their bytes), decoded to numbers;</li>
 * <li>storage types {@code torch.HalfStorage} etc. ({@link DType}) and dtypes {@code torch.float16} etc., as values;</li>
 * <li>classes, kept as names: any capitalised name in a module under {@code torch} (e.g.
 * {@code torch.nn.modules.conv.Conv2d}) or {@code ultralytics}, and {@code torch.device}, {@code types.SimpleNamespace},
 * {@code argparse.Namespace}, {@code pathlib} paths, {@code numpy.dtype}. {@code REDUCE}/{@code NEWOBJ} on a class
 * makes a {@link PickledObject}; {@code BUILD} sets its state.</li>
 * </ul>
 * {@code REDUCE} on anything that is not one of the emulated functions or an allowed class is refused, as are the
 * extension registry opcodes and out-of-band buffers.
 *
 * <p>
 * The stream is read from memory; every length is checked against {@link Limits} and the bytes left before anything is
 * allocated, so an absurd length prefix fails at once, and a truncated stream fails with a {@link PickleException}.
 * The machine is iterative (no recursion), so nesting depth is bounded only by the stack limit. A reader can be reused;
 * it is not thread-safe.
 */
public final class PickleReader {

    /**
     * Hard limits for one stream.
     *
     * @param maxPickleBytes the largest stream accepted
     * @param maxStringBytes the longest str, bytes, text line or int encoding
     * @param maxMemoEntries the most memo entries
     * @param maxStackDepth the most values on the stack, and the most open {@code MARK}s
     * @param maxContainerSize the most items in one list, dict or set
     */
    public record Limits(int maxPickleBytes, int maxStringBytes, int maxMemoEntries, int maxStackDepth,
            int maxContainerSize) {

        public Limits {
            if (maxPickleBytes <= 0 || maxStringBytes <= 0 || maxMemoEntries <= 0 || maxStackDepth <= 0
                    || maxContainerSize <= 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }

        /** 64 MiB stream, 16 MiB strings, 1,000,000 memo entries, stack 100,000, containers 1,000,000 items. */
        public static Limits defaults() {
            return new Limits(64 << 20, 16 << 20, 1_000_000, 100_000, 1_000_000);
        }
    }

    /** Resolves a persistent id ({@code PERSID}/{@code BINPERSID}), e.g. to a {@link TorchStorage}. */
    @FunctionalInterface
    public interface PersistentLoader {
        Object load(Object pid) throws CheckpointException;
    }

    /** The longest int encoding accepted ({@code LONG1}/{@code LONG4}/text), in bytes. */
    static final int MAX_INT_BYTES = 4096;

    private static final Pattern MODULE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Z][A-Za-z0-9_]*");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern FLOAT_TEXT = Pattern
            .compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private static final Set<String> DTYPES = Set.of("float16", "half", "bfloat16", "float32", "float", "float64",
            "double", "int8", "uint8", "int16", "short", "int32", "int", "int64", "long", "bool", "complex64",
            "complex128", "cfloat", "cdouble");

    private static final Set<String> DATA_CLASSES = Set.of("torch.device", "types.SimpleNamespace",
            "argparse.Namespace", "pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath", "pathlib.PurePath",
            "pathlib.PurePosixPath", "pathlib.PureWindowsPath", "numpy.dtype");

    /** What an allowed global is. */
    private enum Kind {
        REBUILD_TENSOR_V2,
        REBUILD_TENSOR,
        REBUILD_PARAMETER,
        REBUILD_PARAMETER_WITH_STATE,
        REBUILD_FROM_TYPE_V2,
        ORDERED_DICT,
        SET,
        FROZENSET,
        TORCH_SIZE,
        RECONSTRUCTOR,
        NUMPY_SCALAR,
        CODECS_ENCODE,
        /** A class: calling it makes a {@link PickledObject}. */
        DATA_CLASS,
        /** A value only (storage type, dtype, {@code torch.Tensor}, {@code builtins.object}): not callable. */
        VALUE
    }

    private static final Map<String, Kind> EXACT = Map.ofEntries(
            Map.entry("torch._utils._rebuild_tensor_v2", Kind.REBUILD_TENSOR_V2),
            Map.entry("torch._utils._rebuild_tensor", Kind.REBUILD_TENSOR),
            Map.entry("torch._utils._rebuild_parameter", Kind.REBUILD_PARAMETER),
            Map.entry("torch._utils._rebuild_parameter_with_state", Kind.REBUILD_PARAMETER_WITH_STATE),
            Map.entry("torch._tensor._rebuild_from_type_v2", Kind.REBUILD_FROM_TYPE_V2),
            Map.entry("collections.OrderedDict", Kind.ORDERED_DICT),
            Map.entry("builtins.set", Kind.SET),
            Map.entry("builtins.frozenset", Kind.FROZENSET),
            Map.entry("torch.Size", Kind.TORCH_SIZE),
            Map.entry("copyreg._reconstructor", Kind.RECONSTRUCTOR),
            Map.entry("numpy.core.multiarray.scalar", Kind.NUMPY_SCALAR),
            Map.entry("numpy._core.multiarray.scalar", Kind.NUMPY_SCALAR),
            Map.entry("_codecs.encode", Kind.CODECS_ENCODE),
            Map.entry("builtins.object", Kind.VALUE),
            Map.entry("torch.Tensor", Kind.VALUE),
            Map.entry("torch.nn.parameter.Parameter", Kind.VALUE));

    private final Limits limits;
    private final PersistentLoader loader;

    /** A reader with {@link Limits#defaults()} and no persistent loader (persistent ids are refused). */
    public PickleReader() {
        this(Limits.defaults(), null);
    }

    /**
     * @param limits hard limits for each stream
     * @param loader resolves persistent ids; null to refuse them
     */
    public PickleReader(Limits limits, PersistentLoader loader) {
        this.limits = limits;
        this.loader = loader;
    }

    public Limits limits() {
        return limits;
    }

    /** Reads the stream to {@code STOP} and returns the value; trailing bytes are ignored, as Python does. */
    public Object read(byte[] pickle) throws CheckpointException {
        if (pickle.length > limits.maxPickleBytes()) {
            throw new PickleLimitException("pickle of " + pickle.length + " bytes exceeds the limit of "
                    + limits.maxPickleBytes());
        }
        return new Machine(pickle).run();
    }

    /** Reads at most {@link Limits#maxPickleBytes()} bytes from the stream (more is refused), then {@link #read(byte[])}. */
    public Object read(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(limits.maxPickleBytes());
        if (bytes.length == limits.maxPickleBytes() && in.read() != -1) {
            throw new PickleLimitException("pickle exceeds the limit of " + limits.maxPickleBytes() + " bytes");
        }
        return read(bytes);
    }

    /** Whether a global is on the allow-list (module names as written, Python 2 names included). */
    public static boolean isAllowed(String module, String name) {
        return kindOf(normalizeModule(module), name) != null;
    }

    private static String normalizeModule(String module) {
        switch (module) {
            case "__builtin__":
                return "builtins";
            case "copy_reg":
                return "copyreg";
            default:
                return module;
        }
    }

    private static Kind kindOf(String module, String name) {
        if (!MODULE.matcher(module).matches() || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return null;
        }
        String qualified = module + "." + name;
        Kind exact = EXACT.get(qualified);
        if (exact != null) {
            return exact;
        }
        if (module.equals("torch") && (DType.fromStorageClass(name) != null || DTYPES.contains(name))) {
            return Kind.VALUE;
        }
        if (DATA_CLASSES.contains(qualified)) {
            return Kind.DATA_CLASS;
        }
        boolean trustedModule = module.equals("torch") || module.startsWith("torch.") || module.equals("ultralytics")
                || module.startsWith("ultralytics.");
        if (trustedModule && CLASS_NAME.matcher(name).matches()) {
            return Kind.DATA_CLASS;
        }
        return null;
    }

    /** The state of one run. */
    private final class Machine {
        private final byte[] buf;
        private int pos;
        private final ArrayList<Object> stack = new ArrayList<>();
        private int[] marks = new int[16];
        private int markCount;
        private final Map<Long, Object> memo = new HashMap<>();

        Machine(byte[] buf) {
            this.buf = buf;
        }

        Object run() throws CheckpointException {
            while (true) {
                int at = pos;
                int op = u8("opcode");
                switch (op) {
                    case 0x80: { // PROTO
                        int version = u8("PROTO");
                        if (version > 5) {
                            throw error(at, "unsupported pickle protocol " + version);
                        }
                        break;
                    }
                    case 0x95: { // FRAME: only a read-ahead hint; the length must fit
                        long length = u64("FRAME");
                        if (length < 0 || length > buf.length - pos) {
                            throw truncated(at, "FRAME of " + Long.toUnsignedString(length) + " bytes");
                        }
                        break;
                    }
                    case '.': // STOP
                        return pop(at);
                    case '(': // MARK
                        if (markCount >= limits.maxStackDepth()) {
                            throw limit(at, "more than " + limits.maxStackDepth() + " nested MARKs");
                        }
                        if (markCount == marks.length) {
                            marks = Arrays.copyOf(marks, marks.length * 2);
                        }
                        marks[markCount++] = stack.size();
                        break;
                    case '0': // POP
                        if (stack.size() > markBase()) {
                            stack.remove(stack.size() - 1);
                        } else {
                            popMark(at);
                        }
                        break;
                    case '1': // POP_MARK
                        popMark(at);
                        break;
                    case '2': // DUP
                        push(at, peek(at));
                        break;

                    case 'N':
                        push(at, null);
                        break;
                    case 0x88: // NEWTRUE
                        push(at, Boolean.TRUE);
                        break;
                    case 0x89: // NEWFALSE
                        push(at, Boolean.FALSE);
                        break;
                    case 'J': // BININT
                        push(at, (long) s32("BININT"));
                        break;
                    case 'K': // BININT1
                        push(at, (long) u8("BININT1"));
                        break;
                    case 'M': // BININT2
                        push(at, (long) u16("BININT2"));
                        break;
                    case 0x8a: { // LONG1
                        int n = u8("LONG1");
                        push(at, decodeLong(bytes(at, n, "LONG1")));
                        break;
                    }
                    case 0x8b: { // LONG4
                        long n = s32("LONG4");
                        if (n < 0) {
                            throw error(at, "LONG4 with negative length " + n);
                        }
                        if (n > MAX_INT_BYTES) {
                            throw limit(at, "int of " + n + " bytes exceeds the limit of " + MAX_INT_BYTES);
                        }
                        push(at, decodeLong(bytes(at, n, "LONG4")));
                        break;
                    }
                    case 'I': // INT (text); I00/I01 are False/True
                        push(at, parseIntLine(at, line(at, "INT"), true));
                        break;
                    case 'L': { // LONG (text)
                        String s = line(at, "LONG");
                        if (s.endsWith("L")) {
                            s = s.substring(0, s.length() - 1);
                        }
                        push(at, parseIntLine(at, s, false));
                        break;
                    }
                    case 'G': { // BINFLOAT, big-endian
                        long bits = 0;
                        for (byte b : bytes(at, 8, "BINFLOAT")) {
                            bits = (bits << 8) | (b & 0xff);
                        }
                        push(at, Double.longBitsToDouble(bits));
                        break;
                    }
                    case 'F': // FLOAT (text)
                        push(at, parseFloatLine(at, line(at, "FLOAT")));
                        break;

                    case 'X': // BINUNICODE
                        push(at, utf8(bytes(at, u32("BINUNICODE"), "BINUNICODE")));
                        break;
                    case 0x8c: // SHORT_BINUNICODE
                        push(at, utf8(bytes(at, u8("SHORT_BINUNICODE"), "SHORT_BINUNICODE")));
                        break;
                    case 0x8d: // BINUNICODE8
                        push(at, utf8(bytes(at, u64("BINUNICODE8"), "BINUNICODE8")));
                        break;
                    case 'V': // UNICODE (raw-unicode-escape text)
                        push(at, rawUnicodeEscape(at, line(at, "UNICODE")));
                        break;
                    case 'T': { // BINSTRING (Python 2 str)
                        long n = s32("BINSTRING");
                        if (n < 0) {
                            throw error(at, "BINSTRING with negative length " + n);
                        }
                        push(at, utf8(bytes(at, n, "BINSTRING")));
                        break;
                    }
                    case 'U': // SHORT_BINSTRING
                        push(at, utf8(bytes(at, u8("SHORT_BINSTRING"), "SHORT_BINSTRING")));
                        break;
                    case 'S': // STRING (quoted text)
                        push(at, utf8(quotedString(at, line(at, "STRING"))));
                        break;
                    case 'B': // BINBYTES
                        push(at, bytes(at, u32("BINBYTES"), "BINBYTES"));
                        break;
                    case 'C': // SHORT_BINBYTES
                        push(at, bytes(at, u8("SHORT_BINBYTES"), "SHORT_BINBYTES"));
                        break;
                    case 0x8e: // BINBYTES8
                        push(at, bytes(at, u64("BINBYTES8"), "BINBYTES8"));
                        break;
                    case 0x96: // BYTEARRAY8
                        push(at, bytes(at, u64("BYTEARRAY8"), "BYTEARRAY8"));
                        break;

                    case ']': // EMPTY_LIST
                        push(at, new ArrayList<>());
                        break;
                    case 'l': // LIST
                        push(at, new ArrayList<>(popMark(at)));
                        break;
                    case 'a': { // APPEND
                        Object value = pop(at);
                        List<Object> list = mutableList(at, peek(at), "APPEND");
                        checkSize(at, list.size() + 1L, "list");
                        list.add(value);
                        break;
                    }
                    case 'e': { // APPENDS
                        List<Object> items = popMark(at);
                        List<Object> list = mutableList(at, peek(at), "APPENDS");
                        checkSize(at, (long) list.size() + items.size(), "list");
                        list.addAll(items);
                        break;
                    }
                    case ')': // EMPTY_TUPLE
                        push(at, PyTuple.EMPTY);
                        break;
                    case 't': // TUPLE
                        push(at, PyTuple.copyOf(popMark(at)));
                        break;
                    case 0x85: // TUPLE1
                        push(at, PyTuple.of(pop(at)));
                        break;
                    case 0x86: { // TUPLE2
                        Object b = pop(at);
                        Object a = pop(at);
                        push(at, PyTuple.of(a, b));
                        break;
                    }
                    case 0x87: { // TUPLE3
                        Object c = pop(at);
                        Object b = pop(at);
                        Object a = pop(at);
                        push(at, PyTuple.of(a, b, c));
                        break;
                    }
                    case '}': // EMPTY_DICT
                        push(at, new LinkedHashMap<>());
                        break;
                    case 'd': { // DICT
                        Map<Object, Object> dict = new LinkedHashMap<>();
                        putAll(at, dict, popMark(at));
                        push(at, dict);
                        break;
                    }
                    case 's': { // SETITEM
                        Object value = pop(at);
                        Object key = pop(at);
                        putAll(at, mutableDict(at, peek(at), "SETITEM"), Arrays.asList(key, value));
                        break;
                    }
                    case 'u': { // SETITEMS
                        List<Object> items = popMark(at);
                        putAll(at, mutableDict(at, peek(at), "SETITEMS"), items);
                        break;
                    }
                    case 0x8f: // EMPTY_SET
                        push(at, new LinkedHashSet<>());
                        break;
                    case 0x90: { // ADDITEMS
                        List<Object> items = popMark(at);
                        Object target = peek(at);
                        if (!(target instanceof LinkedHashSet)) {
                            throw error(at, "ADDITEMS on a " + Describe.type(target) + ", not a set");
                        }
                        @SuppressWarnings("unchecked")
                        Set<Object> set = (Set<Object>) target;
                        addAll(at, set, items);
                        break;
                    }
                    case 0x91: { // FROZENSET
                        Set<Object> set = new LinkedHashSet<>();
                        addAll(at, set, popMark(at));
                        push(at, Collections.unmodifiableSet(set));
                        break;
                    }

                    case 'p': // PUT (text)
                        memoPut(at, parseMemoIndex(at, line(at, "PUT")));
                        break;
                    case 'q': // BINPUT
                        memoPut(at, u8("BINPUT"));
                        break;
                    case 'r': // LONG_BINPUT
                        memoPut(at, u32("LONG_BINPUT"));
                        break;
                    case 0x94: // MEMOIZE
                        memoPut(at, memo.size());
                        break;
                    case 'g': // GET (text)
                        push(at, memoGet(at, parseMemoIndex(at, line(at, "GET"))));
                        break;
                    case 'h': // BINGET
                        push(at, memoGet(at, u8("BINGET")));
                        break;
                    case 'j': // LONG_BINGET
                        push(at, memoGet(at, u32("LONG_BINGET")));
                        break;

                    case 'c': { // GLOBAL
                        String module = utf8(line(at, "GLOBAL module"));
                        String name = utf8(line(at, "GLOBAL name"));
                        push(at, resolve(at, module, name));
                        break;
                    }
                    case 0x93: { // STACK_GLOBAL
                        Object name = pop(at);
                        Object module = pop(at);
                        if (!(module instanceof String m) || !(name instanceof String n)) {
                            throw error(at, "STACK_GLOBAL needs two str, got " + Describe.type(module) + " and "
                                    + Describe.type(name));
                        }
                        push(at, resolve(at, m, n));
                        break;
                    }
                    case 'R': { // REDUCE
                        Object args = pop(at);
                        Object callable = pop(at);
                        push(at, call(at, callable, tuple(at, args, "REDUCE arguments")));
                        break;
                    }
                    case 0x81: { // NEWOBJ
                        Object args = pop(at);
                        Object cls = pop(at);
                        push(at, newObject(at, cls, tuple(at, args, "NEWOBJ arguments"), Map.of()));
                        break;
                    }
                    case 0x92: { // NEWOBJ_EX
                        Object kwargs = pop(at);
                        Object args = pop(at);
                        Object cls = pop(at);
                        push(at, newObject(at, cls, tuple(at, args, "NEWOBJ_EX arguments"),
                                stringKeys(at, kwargs, "NEWOBJ_EX keyword arguments")));
                        break;
                    }
                    case 'i': { // INST
                        String module = utf8(line(at, "INST module"));
                        String name = utf8(line(at, "INST name"));
                        PickleGlobal cls = resolve(at, module, name);
                        push(at, call(at, cls, PyTuple.copyOf(popMark(at))));
                        break;
                    }
                    case 'o': { // OBJ
                        List<Object> items = popMark(at);
                        if (items.isEmpty()) {
                            throw error(at, "OBJ without a class");
                        }
                        push(at, call(at, items.get(0), PyTuple.copyOf(items.subList(1, items.size()))));
                        break;
                    }
                    case 'b': { // BUILD
                        Object state = pop(at);
                        build(at, peek(at), state);
                        break;
                    }
                    case 'Q': // BINPERSID
                        push(at, persistentLoad(at, pop(at)));
                        break;
                    case 'P': // PERSID
                        push(at, persistentLoad(at, line(at, "PERSID")));
                        break;

                    case 0x82: // EXT1
                    case 0x83: // EXT2
                    case 0x84: // EXT4
                        throw new UnsafePickleException(
                                "refused opcode EXT at offset " + at + ": the copyreg extension registry is not supported");
                    case 0x97: // NEXT_BUFFER
                    case 0x98: // READONLY_BUFFER
                        throw error(at, "out-of-band buffers (protocol 5) are not supported");
                    default:
                        throw error(at, String.format("unknown opcode 0x%02x", op));
                }
            }
        }

        // ---- input ----

        private int u8(String what) throws PickleException {
            if (pos >= buf.length) {
                throw truncated(pos, what);
            }
            return buf[pos++] & 0xff;
        }

        private int u16(String what) throws PickleException {
            need(2, what);
            int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
            pos += 2;
            return v;
        }

        private int s32(String what) throws PickleException {
            need(4, what);
            int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16
                    | (buf[pos + 3] & 0xff) << 24;
            pos += 4;
            return v;
        }

        private long u32(String what) throws PickleException {
            return s32(what) & 0xffffffffL;
        }

        /** Unsigned 64-bit; values over {@code Long.MAX_VALUE} come back negative. */
        private long u64(String what) throws PickleException {
            need(8, what);
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = (v << 8) | (buf[pos + i] & 0xff);
            }
            pos += 8;
            return v;
        }

        private void need(int n, String what) throws PickleException {
            if (buf.length - pos < n) {
                throw truncated(pos, what);
            }
        }

        /** {@code n} raw bytes; the length is checked against the limit, then against what is left. */
        private byte[] bytes(int at, long n, String what) throws PickleException {
            if (n < 0 || n > limits.maxStringBytes()) {
                throw limit(at, what + " of " + Long.toUnsignedString(n) + " bytes exceeds the limit of "
                        + limits.maxStringBytes());
            }
            if (n > buf.length - pos) {
                throw truncated(at, what + " of " + n + " bytes");
            }
            byte[] out = Arrays.copyOfRange(buf, pos, pos + (int) n);
            pos += (int) n;
            return out;
        }

        /** A text argument up to (not including) the newline, one char per byte (latin-1). */
        private String line(int at, String what) throws PickleException {
            int max = (int) Math.min(buf.length, (long) pos + limits.maxStringBytes() + 1);
            for (int i = pos; i < max; i++) {
                if (buf[i] == '\n') {
                    String s = new String(buf, pos, i - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
            }
            if (max < buf.length) {
                throw limit(at, what + " line exceeds the limit of " + limits.maxStringBytes() + " bytes");
            }
            throw truncated(at, what + " line");
        }

        // ---- stack and memo ----

        private int markBase() {
            return markCount == 0 ? 0 : marks[markCount - 1];
        }

        private void push(int at, Object value) throws PickleLimitException {
            if (stack.size() >= limits.maxStackDepth()) {
                throw limit(at, "stack deeper than " + limits.maxStackDepth());
            }
            stack.add(value);
        }

        private Object pop(int at) throws PickleException {
            if (stack.size() <= markBase()) {
                throw error(at, stack.isEmpty() ? "stack underflow" : "stack underflow (below MARK)");
            }
            return stack.remove(stack.size() - 1);
        }

        private Object peek(int at) throws PickleException {
            if (stack.size() <= markBase()) {
                throw error(at, stack.isEmpty() ? "stack underflow" : "stack underflow (below MARK)");
            }
            return stack.get(stack.size() - 1);
        }

        private List<Object> popMark(int at) throws PickleException {
            if (markCount == 0) {
                throw error(at, "no MARK on the stack");
            }
            int base = marks[--markCount];
            List<Object> top = stack.subList(base, stack.size());
            List<Object> items = new ArrayList<>(top);
            top.clear();
            return items;
        }

        private void memoPut(int at, long index) throws PickleException {
            if (!memo.containsKey(index) && memo.size() >= limits.maxMemoEntries()) {
                throw limit(at, "more than " + limits.maxMemoEntries() + " memo entries");
            }
            memo.put(index, peek(at));
        }

        private Object memoGet(int at, long index) throws PickleException {
            Object value = memo.get(index);
            if (value == null && !memo.containsKey(index)) {
                throw error(at, "memo key " + index + " not found");
            }
            return value;
        }

        private long parseMemoIndex(int at, String text) throws PickleException {
            if (!text.matches("[0-9]{1,18}")) {
                throw error(at, "bad memo index '" + Describe.text(text) + "'");
            }
            return Long.parseLong(text);
        }

        // ---- containers ----

        @SuppressWarnings("unchecked")
        private List<Object> mutableList(int at, Object target, String op) throws PickleException {
            if (target instanceof ArrayList) {
                return (List<Object>) target;
            }
            throw error(at, op + " on a " + Describe.type(target) + ", not a list");
        }

        @SuppressWarnings("unchecked")
        private Map<Object, Object> mutableDict(int at, Object target, String op) throws PickleException {
            if (target instanceof LinkedHashMap) {
                return (Map<Object, Object>) target;
            }
            throw error(at, op + " on a " + Describe.type(target) + ", not a dict");
        }

        private void putAll(int at, Map<Object, Object> dict, List<Object> keysAndValues) throws PickleException {
            if (keysAndValues.size() % 2 != 0) {
                throw error(at, "odd number of items for a dict");
            }
            for (int i = 0; i < keysAndValues.size(); i += 2) {
                Object key = keysAndValues.get(i);
                requireHashable(at, key, "dict key");
                if (!dict.containsKey(key)) {
                    checkSize(at, dict.size() + 1L, "dict");
                }
                dict.put(key, keysAndValues.get(i + 1));
            }
        }

        private void addAll(int at, Set<Object> set, List<Object> items) throws PickleException {
            for (Object item : items) {
                requireHashable(at, item, "set item");
                if (!set.contains(item)) {
                    checkSize(at, set.size() + 1L, "set");
                }
                set.add(item);
            }
        }

        private void requireHashable(int at, Object key, String what) throws PickleException {
            if (!PyTuple.isHashable(key)) {
                throw error(at, "unhashable " + what + ": " + Describe.type(key)
                        + (key instanceof PyTuple ? " (holds unhashable items or is too large)" : ""));
            }
        }

        private void checkSize(int at, long size, String what) throws PickleLimitException {
            if (size > limits.maxContainerSize()) {
                throw limit(at, what + " of more than " + limits.maxContainerSize() + " items");
            }
        }

        private PyTuple tuple(int at, Object value, String what) throws PickleException {
            if (value instanceof PyTuple t) {
                return t;
            }
            throw error(at, what + " must be a tuple, got " + Describe.type(value));
        }

        private Map<String, Object> stringKeys(int at, Object value, String what) throws PickleException {
            if (!(value instanceof Map<?, ?> map)) {
                throw error(at, what + " must be a dict, got " + Describe.type(value));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw error(at, what + " must have str keys");
                }
                out.put(k, e.getValue());
            }
            return out;
        }

        // ---- globals, calls, objects ----

        private PickleGlobal resolve(int at, String module, String name) throws UnsafePickleException {
            String normalized = normalizeModule(module);
            if (kindOf(normalized, name) == null) {
                throw new UnsafePickleException("refused global '" + Describe.text(module) + "." + Describe.text(name)
                        + "' at offset " + at + ": not on the allow-list (the reader never imports or calls anything)");
            }
            return new PickleGlobal(normalized, name);
        }

        private Object call(int at, Object callable, PyTuple args) throws CheckpointException {
            if (!(callable instanceof PickleGlobal g)) {
                throw new UnsafePickleException("refused call at offset " + at + ": the callable is a "
                        + Describe.type(callable) + ", not an allowed global");
            }
            Kind kind = kindOf(g.module(), g.name());
            if (kind == null) {
                throw new UnsafePickleException("refused call of '" + g.qualifiedName() + "' at offset " + at);
            }
            switch (kind) {
                case REBUILD_TENSOR_V2:
                case REBUILD_TENSOR:
                case REBUILD_PARAMETER:
                case REBUILD_PARAMETER_WITH_STATE:
                case REBUILD_FROM_TYPE_V2:
                    return rebuild(at, kind, g, args);
                case ORDERED_DICT: {
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
                        for (Object pair : pairs) {
                            if (!(pair instanceof List<?> kv) || kv.size() != 2) {
                                throw error(at, "OrderedDict items must be pairs");
                            }
                            putAll(at, dict, new ArrayList<Object>(kv));
                        }
                    } else if (!args.isEmpty()) {
                        throw error(at, "OrderedDict takes () or (pairs,), got " + args.size() + " arguments");
                    }
                    return dict;
                }
                case SET:
                case FROZENSET: {
                    Set<Object> set = new LinkedHashSet<>();
                    if (args.size() == 1 && args.get(0) instanceof Iterable<?> items) {
                        List<Object> list = new ArrayList<>();
                        items.forEach(list::add);
                        addAll(at, set, list);
                    } else if (!args.isEmpty()) {
                        throw error(at, g.name() + " takes () or (items,)");
                    }
                    return kind == Kind.SET ? set : Collections.unmodifiableSet(set);
                }
                case TORCH_SIZE: {
                    if (args.isEmpty()) {
                        return PyTuple.EMPTY;
                    }
                    if (args.size() != 1 || !(args.get(0) instanceof List<?> sizes)) {
                        throw error(at, "torch.Size takes (sizes,)");
                    }
                    for (Object s : sizes) {
                        if (!(s instanceof Long)) {
                            throw error(at, "torch.Size items must be int, got " + Describe.type(s));
                        }
                    }
                    return PyTuple.copyOf(new ArrayList<>(sizes));
                }
                case RECONSTRUCTOR: {
                    // copyreg._reconstructor(cls, base, state): object.__new__(cls) for plain objects
                    if (args.size() != 3 || !(args.get(0) instanceof PickleGlobal cls)
                            || kindOf(cls.module(), cls.name()) != Kind.DATA_CLASS) {
                        throw new UnsafePickleException("refused copyreg._reconstructor at offset " + at
                                + ": the first argument must be an allowed class");
                    }
                    return new PickledObject(cls, List.of(), Map.of());
                }
                case NUMPY_SCALAR:
                    return numpyScalar(at, args);
                case CODECS_ENCODE: {
                    // _codecs.encode(text, 'latin1'): how protocol 2 stores Python 3 bytes
                    if (args.size() != 2 || !(args.get(0) instanceof String text)
                            || !(args.get(1) instanceof String encoding)
                            || !(encoding.equals("latin1") || encoding.equals("latin-1"))) {
                        throw new UnsafePickleException(
                                "refused _codecs.encode at offset " + at + ": only encode(str, 'latin1') is emulated");
                    }
                    byte[] out = new byte[text.length()];
                    for (int i = 0; i < out.length; i++) {
                        char c = text.charAt(i);
                        if (c > 0xff) {
                            throw error(at, "_codecs.encode: character outside latin-1");
                        }
                        out[i] = (byte) c;
                    }
                    return out;
                }
                case DATA_CLASS:
                    return new PickledObject(g, new ArrayList<>(args), Map.of());
                default:
                    throw new UnsafePickleException("refused call of '" + g.qualifiedName() + "' at offset " + at
                            + ": it is allowed as a value only");
            }
        }

        private Object newObject(int at, Object cls, PyTuple args, Map<String, Object> kwargs)
                throws CheckpointException {
            if (!(cls instanceof PickleGlobal g)) {
                throw new UnsafePickleException(
                        "refused NEWOBJ at offset " + at + ": the class is a " + Describe.type(cls));
            }
            Kind kind = kindOf(g.module(), g.name());
            if (kind == Kind.DATA_CLASS) {
                return new PickledObject(g, new ArrayList<>(args), kwargs);
            }
            if (kwargs.isEmpty() && (kind == Kind.ORDERED_DICT || kind == Kind.SET || kind == Kind.FROZENSET
                    || kind == Kind.TORCH_SIZE)) {
                // cls.__new__(cls, *args): an empty container (a tuple subclass takes its items)
                return kind == Kind.TORCH_SIZE ? call(at, g, args) : call(at, g, PyTuple.EMPTY);
            }
            throw new UnsafePickleException("refused NEWOBJ of '" + g.qualifiedName() + "' at offset " + at);
        }

        private void build(int at, Object target, Object state) throws PickleException {
            if (target instanceof PickledObject o) {
                o.applyState(state);
            } else if (state == null || (state instanceof Map<?, ?> m && m.isEmpty())) {
                // Python: a falsy state leaves the object alone
            } else {
                throw error(at, "BUILD on a " + Describe.type(target) + " (only objects of allowed classes have state)");
            }
        }

        private Object persistentLoad(int at, Object pid) throws CheckpointException {
            if (loader == null) {
                throw error(at, "persistent id found but no persistent loader is configured");
            }
            return loader.load(pid);
        }

        // ---- tensors ----

        private Tensor rebuild(int at, Kind kind, PickleGlobal g, PyTuple a) throws CheckpointException {
            switch (kind) {
                case REBUILD_TENSOR_V2: {
                    // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                    arity(at, g, a, 6, 7);
                    return Tensor.of(storage(at, a.get(0)), integer(at, a.get(1), "storage_offset"),
                            longs(at, a.get(2), "size"), longs(at, a.get(3), "stride"),
                            bool(at, a.get(4), "requires_grad"));
                }
                case REBUILD_TENSOR:
                    // (storage, storage_offset, size, stride)
                    arity(at, g, a, 4, 4);
                    return Tensor.of(storage(at, a.get(0)), integer(at, a.get(1), "storage_offset"),
                            longs(at, a.get(2), "size"), longs(at, a.get(3), "stride"), false);
                case REBUILD_PARAMETER:
                case REBUILD_PARAMETER_WITH_STATE: {
                    // (data, requires_grad, backward_hooks[, state])
                    arity(at, g, a, kind == Kind.REBUILD_PARAMETER ? 3 : 4, kind == Kind.REBUILD_PARAMETER ? 3 : 4);
                    if (!(a.get(0) instanceof Tensor data)) {
                        throw error(at, g.name() + " needs a tensor, got " + Describe.type(a.get(0)));
                    }
                    return data.asParameter(bool(at, a.get(1), "requires_grad"));
                }
                default: {
                    // _rebuild_from_type_v2(func, new_type, args, state): func(*args) as torch.Tensor or Parameter
                    arity(at, g, a, 4, 4);
                    Object func = a.get(0);
                    Kind funcKind = func instanceof PickleGlobal f ? kindOf(f.module(), f.name()) : null;
                    if (funcKind == null || funcKind == Kind.REBUILD_FROM_TYPE_V2
                            || !funcKind.name().startsWith("REBUILD_")) {
                        throw new UnsafePickleException("refused _rebuild_from_type_v2 at offset " + at
                                + ": the function must be a tensor rebuild function");
                    }
                    Object type = a.get(1);
                    boolean parameter = type instanceof PickleGlobal t
                            && t.qualifiedName().equals("torch.nn.parameter.Parameter");
                    if (!parameter && !(type instanceof PickleGlobal t2 && t2.qualifiedName().equals("torch.Tensor"))) {
                        throw new UnsafePickleException("refused _rebuild_from_type_v2 at offset " + at
                                + ": the type must be torch.Tensor or torch.nn.parameter.Parameter");
                    }
                    Tensor t = rebuild(at, funcKind, (PickleGlobal) func, tuple(at, a.get(2), "rebuild arguments"));
                    return parameter && !t.isParameter() ? t.asParameter(t.requiresGrad()) : t;
                }
            }
        }

        private void arity(int at, PickleGlobal g, PyTuple a, int min, int max) throws PickleException {
            if (a.size() < min || a.size() > max) {
                throw error(at, g.qualifiedName() + " takes " + (min == max ? min : min + " or " + max)
                        + " arguments, got " + a.size());
            }
        }

        private TorchStorage storage(int at, Object value) throws PickleException {
            if (value instanceof TorchStorage s) {
                return s;
            }
            throw error(at, "tensor storage must come from a persistent id, got " + Describe.type(value));
        }

        private long integer(int at, Object value, String what) throws PickleException {
            if (value instanceof Long l) {
                return l;
            }
            throw error(at, what + " must be an int, got " + Describe.type(value));
        }

        private boolean bool(int at, Object value, String what) throws PickleException {
            if (value instanceof Boolean b) {
                return b;
            }
            throw error(at, what + " must be a bool, got " + Describe.type(value));
        }

        private long[] longs(int at, Object value, String what) throws PickleException {
            if (!(value instanceof PyTuple) && !(value instanceof ArrayList)) {
                throw error(at, what + " must be a tuple of ints, got " + Describe.type(value));
            }
            List<?> list = (List<?>) value;
            if (list.size() > Tensor.MAX_DIMS) {
                throw error(at, what + " has " + list.size() + " dimensions, more than " + Tensor.MAX_DIMS);
            }
            long[] out = new long[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = integer(at, list.get(i), what);
            }
            return out;
        }

        // ---- numpy scalars ----

        private Object numpyScalar(int at, PyTuple args) throws PickleException {
            if (args.size() != 2 || !(args.get(0) instanceof PickledObject dtype)
                    || !dtype.className().equals("numpy.dtype") || dtype.args().isEmpty()
                    || !(dtype.args().get(0) instanceof String typeCode) || !(args.get(1) instanceof byte[] data)) {
                throw error(at, "numpy scalar must be (numpy.dtype, bytes)");
            }
            boolean bigEndian = dtype.state() instanceof PyTuple st && st.size() > 1 && ">".equals(st.get(1));
            int size;
            char type = typeCode.isEmpty() ? '?' : typeCode.charAt(0);
            try {
                size = Integer.parseInt(typeCode.substring(1));
            } catch (RuntimeException e) {
                throw error(at, "unsupported numpy dtype '" + Describe.text(typeCode) + "'");
            }
            if (data.length != size) {
                throw error(at, "numpy scalar of dtype '" + typeCode + "' has " + data.length + " bytes");
            }
            long bits = 0;
            for (int i = 0; i < size; i++) {
                int b = data[bigEndian ? i : size - 1 - i] & 0xff;
                bits = (bits << 8) | b;
            }
            if (type == 'f' && size == 8) {
                return Double.longBitsToDouble(bits);
            }
            if (type == 'f' && size == 4) {
                return (double) Float.intBitsToFloat((int) bits);
            }
            if (type == 'f' && size == 2) {
                return (double) DType.halfToFloat((int) bits);
            }
            if (type == 'i' && (size == 1 || size == 2 || size == 4 || size == 8)) {
                int shift = 64 - 8 * size;
                return (bits << shift) >> shift;
            }
            if (type == 'u' && (size == 1 || size == 2 || size == 4)) {
                return bits;
            }
            if (type == 'b' && size == 1) {
                return bits != 0;
            }
            throw error(at, "unsupported numpy dtype '" + Describe.text(typeCode) + "'");
        }

        // ---- text arguments ----

        private Object parseIntLine(int at, String s, boolean boolCodes) throws PickleException {
            if (boolCodes && s.equals("00")) {
                return Boolean.FALSE;
            }
            if (boolCodes && s.equals("01")) {
                return Boolean.TRUE;
            }
            if (s.length() > MAX_INT_BYTES || !DECIMAL.matcher(s).matches()) {
                throw error(at, "bad integer text '" + Describe.text(s) + "'");
            }
            return normalize(new BigInteger(s));
        }

        private Double parseFloatLine(int at, String s) throws PickleException {
            switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "inf":
                case "+inf":
                    return Double.POSITIVE_INFINITY;
                case "-inf":
                    return Double.NEGATIVE_INFINITY;
                case "nan":
                case "+nan":
                case "-nan":
                    return Double.NaN;
                default:
                    if (!FLOAT_TEXT.matcher(s).matches()) {
                        throw error(at, "bad float text '" + Describe.text(s) + "'");
                    }
                    return Double.parseDouble(s);
            }
        }

        /** The body of a {@code STRING} argument: a quoted Python 2 str literal with backslash escapes. */
        private byte[] quotedString(int at, String s) throws PickleException {
            if (s.length() < 2 || (s.charAt(0) != '\'' && s.charAt(0) != '"')
                    || s.charAt(s.length() - 1) != s.charAt(0)) {
                throw error(at, "STRING argument must be quoted");
            }
            byte[] raw = s.substring(1, s.length() - 1).getBytes(StandardCharsets.ISO_8859_1);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(raw.length);
            for (int i = 0; i < raw.length; i++) {
                int c = raw[i] & 0xff;
                if (c != '\\' || i + 1 >= raw.length) {
                    out.write(c);
                    continue;
                }
                int e = raw[++i] & 0xff;
                switch (e) {
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'a' -> out.write(7);
                    case 'b' -> out.write(8);
                    case 'f' -> out.write(12);
                    case 'v' -> out.write(11);
                    case '\\', '\'', '"' -> out.write(e);
                    case '\n' -> {
                    }
                    case 'x' -> {
                        if (i + 2 >= raw.length) {
                            throw error(at, "bad \\x escape in STRING");
                        }
                        int hi = Character.digit(raw[i + 1], 16);
                        int lo = Character.digit(raw[i + 2], 16);
                        if (hi < 0 || lo < 0) {
                            throw error(at, "bad \\x escape in STRING");
                        }
                        out.write(hi * 16 + lo);
                        i += 2;
                    }
                    default -> {
                        if (e >= '0' && e <= '7') {
                            int v = e - '0';
                            for (int k = 0; k < 2 && i + 1 < raw.length && raw[i + 1] >= '0' && raw[i + 1] <= '7'; k++) {
                                v = v * 8 + (raw[++i] - '0');
                            }
                            out.write(v & 0xff);
                        } else {
                            out.write('\\');
                            out.write(e);
                        }
                    }
                }
            }
            return out.toByteArray();
        }

        /** {@code raw-unicode-escape}: latin-1 text with {@code \\u} + 4 and {@code \\U} + 8 hex digit escapes. */
        private String rawUnicodeEscape(int at, String s) throws PickleException {
            StringBuilder out = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')) {
                    int digits = s.charAt(i + 1) == 'u' ? 4 : 8;
                    if (i + 2 + digits > s.length()) {
                        throw error(at, "truncated \\u escape in UNICODE");
                    }
                    int cp;
                    try {
                        cp = Integer.parseUnsignedInt(s.substring(i + 2, i + 2 + digits), 16);
                    } catch (NumberFormatException e) {
                        throw error(at, "bad \\u escape in UNICODE");
                    }
                    if (!Character.isValidCodePoint(cp)) {
                        throw error(at, "bad code point in UNICODE");
                    }
                    out.appendCodePoint(cp);
                    i += 1 + digits;
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        // ---- errors ----

        private PickleException error(int at, String message) {
            return new PickleException("bad pickle at offset " + at + ": " + message);
        }

        private PickleException truncated(int at, String what) {
            return new PickleException("truncated pickle: " + what + " at offset " + at + " runs past the end ("
                    + buf.length + " bytes)");
        }

        private PickleLimitException limit(int at, String message) {
            return new PickleLimitException("pickle limit at offset " + at + ": " + message);
        }
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A line read as latin-1, re-read as UTF-8. */
    private static String utf8(String latin1) {
        return utf8(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Little-endian two's complement, as {@code LONG1}/{@code LONG4} store it. */
    static Object decodeLong(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return normalize(new BigInteger(be));
    }

    private static Object normalize(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }
}
